#include "exporter/html.h"

#include <cctype>
#include <map>
#include <optional>
#include <vector>

namespace coinw::exporter {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && (is_space(s.back()) || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Targets a link may have: the web, mail, an anchor, or a path relative to the
// page (no scheme: nothing like "javascript:" before the first / ? or #).
bool safe_url(std::string_view url) {
  if (url.empty()) return false;
  for (char c : url)
    if (std::iscntrl(static_cast<unsigned char>(c)) || is_space(c)) return false;
  for (std::string_view scheme : {"http://", "https://", "mailto:"})
    if (url.starts_with(scheme)) return true;
  const auto colon = url.find(':');
  return colon == std::string_view::npos || colon > url.find_first_of("/?#");
}

// The closing '*' of an emphasis opened before `from`: not after a space, not part of "**".
size_t emphasis_end(std::string_view s, size_t from) {
  for (size_t j = from + 1; j < s.size(); ++j)
    if (s[j] == '*' && !is_space(s[j - 1]) && (j + 1 == s.size() || s[j + 1] != '*')) return j;
  return std::string_view::npos;
}

std::string inline_html(std::string_view s) {
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == '\\' && i + 1 < s.size() && std::ispunct(static_cast<unsigned char>(s[i + 1]))) {
      out += html_escape(s.substr(i + 1, 1));
      i += 2;
      continue;
    }
    if (c == '`') {
      if (const auto end = s.find('`', i + 1); end != std::string_view::npos) {
        out += "<code>" + html_escape(s.substr(i + 1, end - i - 1)) + "</code>";
        i = end + 1;
        continue;
      }
    }
    if (s.substr(i, 2) == "**") {
      if (const auto end = s.find("**", i + 2); end != std::string_view::npos && end > i + 2) {
        out += "<strong>" + inline_html(s.substr(i + 2, end - i - 2)) + "</strong>";
        i = end + 2;
        continue;
      }
    }
    if (c == '*' && i + 1 < s.size() && !is_space(s[i + 1]) && s[i + 1] != '*') {
      if (const auto end = emphasis_end(s, i); end != std::string_view::npos) {
        out += "<em>" + inline_html(s.substr(i + 1, end - i - 1)) + "</em>";
        i = end + 1;
        continue;
      }
    }
    if (c == '[') {
      const auto mid = s.find("](", i + 1);
      const auto end = mid == std::string_view::npos ? mid : s.find(')', mid + 2);
      if (end != std::string_view::npos) {
        const auto text = inline_html(s.substr(i + 1, mid - i - 1));
        const auto url = s.substr(mid + 2, end - mid - 2);
        out += safe_url(url) ? "<a href=\"" + html_escape(url) + "\">" + text + "</a>" : text;
        i = end + 1;
        continue;
      }
    }
    if (c == '<') {
      const auto end = s.find('>', i + 1);
      const auto url = end == std::string_view::npos ? std::string_view{} : s.substr(i + 1, end - i - 1);
      if ((url.starts_with("http://") || url.starts_with("https://")) && safe_url(url)) {
        out += "<a href=\"" + html_escape(url) + "\">" + html_escape(url) + "</a>";
        i = end + 1;
        continue;
      }
    }
    out += html_escape(s.substr(i, 1));
    ++i;
  }
  return out;
}

struct ListMarker {
  bool ordered = false;
  size_t content = 0;  // where the item's text starts
};

std::optional<ListMarker> list_marker(std::string_view line) {
  if (line.size() >= 2 && std::string_view("-*+").find(line[0]) != std::string_view::npos && line[1] == ' ')
    return ListMarker{false, 2};
  size_t digits = 0;
  while (digits < line.size() && digits < 9 && std::isdigit(static_cast<unsigned char>(line[digits]))) ++digits;
  if (digits > 0 && digits + 1 < line.size() && (line[digits] == '.' || line[digits] == ')') && line[digits + 1] == ' ')
    return ListMarker{true, digits + 2};
  return std::nullopt;
}

class Renderer {
 public:
  std::string render(std::string_view markdown) {
    size_t start = 0;
    while (start <= markdown.size()) {
      auto end = markdown.find('\n', start);
      if (end == std::string_view::npos) end = markdown.size();
      line(markdown.substr(start, end - start));
      start = end + 1;
    }
    if (in_code_) out_ += "</code></pre>\n";
    flush_text();
    close_lists(0);
    return std::move(out_);
  }

 private:
  struct List {
    size_t indent;
    bool ordered;
  };

  void line(std::string_view raw) {
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    const auto text = trim(raw);
    if (in_code_) {
      if (text.starts_with("```")) {
        out_ += "</code></pre>\n";
        in_code_ = false;
      } else {
        out_ += html_escape(raw) + "\n";
      }
      return;
    }
    const size_t indent = raw.find_first_not_of(" \t");
    const bool after_blank = blank_;
    blank_ = text.empty();
    if (text.empty()) return flush_text();
    if (text.starts_with("```")) {
      flush_text();
      close_lists(0);
      out_ += "<pre><code>";
      in_code_ = true;
      return;
    }
    if (indent < 4 && heading(text)) return;
    if (const auto marker = list_marker(text)) return item(indent, *marker, text.substr(marker->content));
    if (!lists_.empty() && after_blank && indent == 0) {
      flush_text();
      close_lists(0);
    }
    if (!text_.empty()) text_ += '\n';
    text_ += text;
  }

  bool heading(std::string_view text) {
    size_t level = 0;
    while (level < text.size() && text[level] == '#') ++level;
    if (level == 0 || level > 6 || (level < text.size() && text[level] != ' ')) return false;
    auto title = trim(text.substr(level));
    while (!title.empty() && title.back() == '#') title.remove_suffix(1);
    title = trim(title);
    flush_text();
    close_lists(0);
    std::string id = heading_anchor(title);
    if (const int seen = anchors_[id]++; seen > 0) id += "-" + std::to_string(seen);
    const auto h = std::to_string(level);
    out_ += "<h" + h + " id=\"" + html_escape(id) + "\">" + inline_html(title) + "</h" + h + ">\n";
    return true;
  }

  void item(size_t indent, ListMarker marker, std::string_view text) {
    flush_text();
    close_lists(indent + 1);
    if (!lists_.empty() && lists_.back().indent == indent && lists_.back().ordered != marker.ordered)
      close_lists(indent);
    if (!lists_.empty() && lists_.back().indent == indent) {
      out_ += "</li>\n<li>";
    } else {
      lists_.push_back({indent, marker.ordered});
      out_ += marker.ordered ? "<ol>\n<li>" : "<ul>\n<li>";
    }
    text_ = text;
    item_has_text_ = false;
  }

  // Closes the lists indented at least `indent`.
  void close_lists(size_t indent) {
    while (!lists_.empty() && lists_.back().indent >= indent) {
      out_ += lists_.back().ordered ? "</li>\n</ol>\n" : "</li>\n</ul>\n";
      lists_.pop_back();
    }
  }

  // A list item's text after a blank line is a paragraph of its own.
  void flush_text() {
    if (text_.empty()) return;
    const bool plain = !lists_.empty() && !item_has_text_;
    out_ += plain ? inline_html(text_) : "<p>" + inline_html(text_) + "</p>\n";
    item_has_text_ = !lists_.empty();
    text_.clear();
  }

  std::string out_;
  std::string text_;  // the paragraph or list item being read
  std::vector<List> lists_;
  std::map<std::string, int> anchors_;
  bool in_code_ = false;
  bool blank_ = false;
  bool item_has_text_ = false;
};

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string heading_anchor(std::string_view heading) {
  std::string out;
  for (char c : heading) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || std::isalnum(u) || c == '-' || c == '_')
      out += static_cast<char>(std::tolower(u));
    else if (c == ' ')
      out += '-';
  }
  return out;
}

std::string markdown_to_html(std::string_view markdown) { return Renderer().render(markdown); }

}  // namespace coinw::exporter
