#include "log/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace coinw::log {
namespace {

std::atomic<Level> g_level{Level::info};
std::atomic<Format> g_format{Format::logfmt};
std::atomic<void (*)(const std::string&)> g_sink{nullptr};
std::mutex g_mu;

std::string_view level_name(Level l) {
  switch (l) {
    case Level::debug: return "debug";
    case Level::info: return "info";
    case Level::warn: return "warn";
    case Level::error: return "error";
  }
  return "info";
}

void append_logfmt_value(std::string& out, std::string_view v) {
  bool quote = v.empty();
  for (unsigned char c : v)
    if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c >= 0x7f) quote = true;
  if (!quote) {
    out += v;
    return;
  }
  out += '"';
  for (unsigned char c : v) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

std::string now_rfc3339() {
  auto now = std::chrono::system_clock::now();
  auto secs = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

}  // namespace

Level parse_level(std::string_view s) {
  for (Level l : {Level::debug, Level::info, Level::warn, Level::error})
    if (s == level_name(l)) return l;
  throw std::invalid_argument("log level must be one of debug, info, warn, error");
}

Format parse_format(std::string_view s) {
  if (s == "logfmt") return Format::logfmt;
  if (s == "json") return Format::json;
  throw std::invalid_argument("log format must be logfmt or json");
}

void configure(Level level, Format format) {
  g_level = level;
  g_format = format;
}

void set_sink(void (*sink)(const std::string&)) { g_sink = sink; }

bool enabled(Level level) { return level >= g_level.load(); }

std::string format_line(Format format, Level level, std::string_view ts, std::string_view msg,
                        std::initializer_list<Field> fields) {
  if (format == Format::json) {
    nlohmann::ordered_json j;
    j["ts"] = ts;
    j["level"] = level_name(level);
    j["msg"] = msg;
    for (const auto& [k, v] : fields) j[std::string(k)] = v;
    // Invalid UTF-8 is replaced rather than thrown on: log text comes from outside.
    return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  }
  std::string out = "ts=";
  out += ts;
  out += " level=";
  out += level_name(level);
  out += " msg=";
  append_logfmt_value(out, msg);
  for (const auto& [k, v] : fields) {
    out += ' ';
    out += k;
    out += '=';
    append_logfmt_value(out, v);
  }
  return out;
}

void write(Level level, std::string_view msg, std::initializer_list<Field> fields) {
  if (!enabled(level)) return;
  std::string line = format_line(g_format, level, now_rfc3339(), msg, fields);
  std::lock_guard lock(g_mu);
  if (auto sink = g_sink.load()) {
    sink(line);
  } else {
    line += '\n';
    std::fputs(line.c_str(), stderr);
  }
}

}  // namespace coinw::log
