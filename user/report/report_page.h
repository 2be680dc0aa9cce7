/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The static parts of the HTML page of "report --html": the page up to the
 * opening of its data element, and from its end on (the script that draws).
 *
 * They are page.html, with page.css and page.js in it, turned into these
 * arrays at build time (gen-page.sh): the binary stays one file, with
 * nothing to install next to it.  No external resource: the page opens
 * offline, from a mail or a ticket, and its Content-Security-Policy forbids
 * any fetch.  The script builds every element from the data with
 * textContent and setAttribute, never from markup: the strings in the data
 * are the logs'.  Hovering (or focusing) a bar or a violation marker shows
 * its tooltip; #cycle-N or #violation-N in the URL pins one.
 */
#ifndef DMSWAP_REPORT_PAGE_H
#define DMSWAP_REPORT_PAGE_H

/* Ends inside <script type="application/json" id="dmswap-data">. */
extern const char report_page_head[];
/* Starts with that element's </script>. */
extern const char report_page_tail[];

#endif /* DMSWAP_REPORT_PAGE_H */
