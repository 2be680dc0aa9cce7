/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The static parts of the HTML page of "report --html": the page up to the
 * opening of its data element, and from its end on (the script that draws).
 */
#ifndef DMSWAP_REPORT_PAGE_H
#define DMSWAP_REPORT_PAGE_H

/* Ends inside <script type="application/json" id="dmswap-data">. */
extern const char report_page_head[];
/* Starts with that element's </script>. */
extern const char report_page_tail[];

#endif /* DMSWAP_REPORT_PAGE_H */
