#pragma once
// The runbook (docs/runbook.md, built into the binary) as the HTML page the
// exporter serves at /runbook: each alert's section has the anchor its
// runbook_url points to (/runbook#coinwsubaccountfrozen).
#include <string>
#include <string_view>

namespace coinw::exporter {

// The Markdown as it was when the binary was built.
std::string_view runbook_markdown();
// A complete HTML page; rendered once.
const std::string& runbook_page();

}  // namespace coinw::exporter
