#pragma once
// HTML for the exporter's pages: escaping, and the small Markdown subset that
// docs/runbook.md is written in, so the exporter can serve the runbook
// (/runbook) to whoever follows an alert's link. Pure functions.
#include <string>
#include <string_view>

namespace coinw::exporter {

// Text safe in element content and in double-quoted attribute values.
std::string html_escape(std::string_view text);

// The anchor GitHub gives a heading: ASCII letters lower-cased, digits, '-',
// '_' and non-ASCII bytes kept, spaces turned into '-', everything else dropped. "CoinwDataStale" ->
// "coinwdatastale", so a runbook link works on the exporter and on GitHub alike.
std::string heading_anchor(std::string_view heading);

// An HTML fragment from Markdown: ATX headings (with id=heading_anchor, and
// -1, -2... for repeats), paragraphs, "-", "*" and "1." lists (nested by
// indentation, continuation lines indented), ``` fenced code, and inline
// `code`, **strong**, *emphasis*, [text](url) and <https://...> links. Every
// piece of text is escaped; a link whose target is not http(s), mailto, an
// anchor or a relative path stays plain text. Raw HTML is shown, not rendered.
std::string markdown_to_html(std::string_view markdown);

}  // namespace coinw::exporter
