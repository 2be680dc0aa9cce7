// SPDX-License-Identifier: GPL-2.0
/* Escaping of device names and comm: terminal and JSON. */
#include "escape.h"
#include "json.h"
#include "unit.h"

TEST(term_escape_passes_plain_names)
{
	char out[64];

	escape_term(out, sizeof(out), "crypt-0_a.b", 64);
	CHECK_STR(out, "crypt-0_a.b");
}

TEST(term_escape_neutralises_control_and_high_bytes)
{
	char out[128];

	/* ESC [2J would clear the screen; 0xc2 0x9b is the C1 CSI in UTF-8. */
	escape_term(out, sizeof(out), "a\x1b[2J\\\xc2\x9bz\n", 64);
	CHECK_STR(out, "a\\x1b[2J\\\\\\xc2\\x9bz\\x0a");
}

TEST(term_escape_truncates_at_whole_escapes)
{
	char out[6];

	escape_term(out, sizeof(out), "\x01\x02", 2);
	/* "\x01" fits (4 + NUL), "\x02" does not: no half escape. */
	CHECK_STR(out, "\\x01");
}

TEST(json_escape_quotes_and_controls)
{
	char out[128];

	escape_json(out, sizeof(out), "a\"b\\c\n\t\x01\x7f", 64);
	CHECK_STR(out, "a\\\"b\\\\c\\n\\t\\u0001\\u007f");
}

TEST(json_escape_keeps_valid_utf8)
{
	char out[64];

	escape_json(out, sizeof(out), "z\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 64);
	CHECK_STR(out, "z\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
}

TEST(json_escape_replaces_invalid_utf8)
{
	char out[64];

	/* Lone continuation, overlong '/', truncated sequence, surrogate. */
	escape_json(out, sizeof(out), "\x80|\xc0\xaf|\xe2\x82|\xed\xa0\x80", 64);
	CHECK_STR(out, "\\ufffd|\\ufffd\\ufffd|\\ufffd\\ufffd|\\ufffd\\ufffd\\ufffd");
}

TEST(json_escape_stops_at_nul_and_length)
{
	char out[64];

	escape_json(out, sizeof(out), "abc\0def", 7);
	CHECK_STR(out, "abc");
	escape_json(out, sizeof(out), "abcdef", 2);
	CHECK_STR(out, "ab");
}

TEST(json_writer_builds_nested_lines)
{
	struct json j = {};

	json_reset(&j);
	json_object_begin(&j);
	json_str(&j, "kind", "event");
	json_strn(&j, "dev", "x\"y", 16);
	json_int(&j, "ret", -11);
	json_null(&j, "swap_id");
	json_array_begin(&j, "targets");
	json_str(&j, NULL, "crypt");
	json_str(&j, NULL, "linear");
	json_array_end(&j);
	json_key_object(&j, "after");
	json_uint(&j, "sectors", 18446744073709551615ull);
	json_bool(&j, "ok", true);
	json_object_end(&j);
	json_object_end(&j);
	CHECK(!j.failed);
	CHECK_STR(j.buf, "{\"kind\":\"event\",\"dev\":\"x\\\"y\",\"ret\":-11,\"swap_id\":null,"
			 "\"targets\":[\"crypt\",\"linear\"],"
			 "\"after\":{\"sectors\":18446744073709551615,\"ok\":true}}");
	json_free(&j);
}

TEST(prom_escape_is_valid_utf8_text_format)
{
	char out[64];

	/* Quote, backslash and newline escaped; "é" kept; 0xff and a lone 0xc3 -> U+FFFD. */
	escape_prom(out, sizeof(out), "a\"b\\c\nd\xc3\xa9\xff\xc3", 64);
	CHECK_STR(out, "a\\\"b\\\\c\\nd\xc3\xa9\xef\xbf\xbd\xef\xbf\xbd");
	/* Truncated at whole sequences: "x" fits, U+FFFD (3 bytes) does not. */
	escape_prom(out, 4, "x\xff", 2);
	CHECK_STR(out, "x");
}
