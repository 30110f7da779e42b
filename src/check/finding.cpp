#include "check/finding.h"

#include <nlohmann/json.hpp>

namespace coinw::check {

std::string_view to_string(Verdict v) {
  switch (v) {
    case Verdict::ok: return "ok";
    case Verdict::note: return "note";
    case Verdict::change: return "change";
    case Verdict::fail: return "FAIL";
    case Verdict::open: return "open";
  }
  return "open";
}

int exit_code(const std::vector<AccountReport>& reports) {
  for (const auto& r : reports)
    for (const auto& f : r.findings)
      if (f.verdict == Verdict::fail) return 1;
  return 0;
}

namespace {

std::string text(const std::vector<AccountReport>& reports) {
  std::string out;
  for (const auto& r : reports) {
    out += "account " + r.account + ": " + std::to_string(r.requests) + " request(s) sent\n";
    for (const auto& f : r.findings) {
      out += r.account + " " + f.probe + " " + std::string(to_string(f.verdict)) + ": " + f.seen;
      if (!f.exporter.empty()) out += " Exporter: " + f.exporter;
      if (!f.setting.empty()) out += " Setting: " + f.setting;
      out += "\n";
    }
  }
  out += exit_code(reports) ? "result: a collector cannot work with this setup (exit 1)\n"
                            : "result: every enabled collector can work (exit 0)\n";
  return out;
}

std::string json_text(const std::vector<AccountReport>& reports) {
  nlohmann::ordered_json accounts = nlohmann::ordered_json::array();
  for (const auto& r : reports) {
    nlohmann::ordered_json findings = nlohmann::ordered_json::array();
    for (const auto& f : r.findings) {
      std::string verdict(to_string(f.verdict));
      if (f.verdict == Verdict::fail) verdict = "fail";
      findings.push_back({{"probe", f.probe},
                          {"verdict", verdict},
                          {"seen", f.seen},
                          {"exporter", f.exporter},
                          {"setting", f.setting}});
    }
    accounts.push_back({{"account", r.account}, {"requests", r.requests}, {"findings", std::move(findings)}});
  }
  return nlohmann::ordered_json{{"accounts", std::move(accounts)}, {"exit_code", exit_code(reports)}}.dump(2) + "\n";
}

}  // namespace

std::string render(const std::vector<AccountReport>& reports, Format format) {
  return format == Format::json ? json_text(reports) : text(reports);
}

}  // namespace coinw::check
