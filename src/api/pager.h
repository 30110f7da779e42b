#pragma once
// Walks a paged affiliate list without trusting CoinW's paging. `total` is only
// a hint (CoinW's count may be off by a few, or stale while invitees join and
// leave): after page 1 a short or empty page ends the pass, and a full page
// always asks for the next one. The server may cap the asked page size (the docs
// give two different maxima): a short first page while `total` says there is
// more is that cap, and "short" then means shorter than it, for this pass only.
// The asked size never changes: the server pages by the size it really uses.
// Pure: it only decides the next page, so it can resume a pass across scrapes
// and be tested without I/O.
#include <cstdint>
#include <optional>

#include "api/client.h"

namespace coinw::api {

struct PageQuery {
  int page_no = 1;
  int page_size = 100;
};

class Pager {
 public:
  explicit Pager(int page_size);

  PageQuery next_query() const { return {page_no_, page_size_}; }
  // Feeds the page answered to next_query(). `new_rows`: rows of the page not
  // already seen in this pass (rows shift between pages while invitees join);
  // a full page with none ends the pass, so a server that ignores pageNo
  // cannot keep a pass going forever.
  template <class Page>
  void on_page(const Page& page, size_t new_rows) {
    // Unreadable rows still hold their place on the page.
    on_rows(static_cast<int64_t>(page.rows.size() + page.invalid_rows), page.total, new_rows);
  }
  bool done() const { return done_; }
  std::optional<int64_t> total() const { return total_; }  // CoinW's count, a hint
  int64_t rows_seen() const { return rows_seen_; }
  int pages() const { return pages_; }
  int page_size() const { return served_size_; }  // the size the server uses, as far as we know
  // Starts a new pass from the first page, forgetting any cap.
  void restart();

 private:
  void on_rows(int64_t n, std::optional<int64_t> total, size_t new_rows);

  int page_size_;    // as configured: asked on every page
  int served_size_;  // rows a full page has in this pass
  int page_no_ = 1;
  int pages_ = 0;
  int64_t rows_seen_ = 0;
  std::optional<int64_t> total_;
  bool done_ = false;
};

// The invitee-assets list of one quote.
class InviteePager : public Pager {
 public:
  InviteePager(std::string quote, int page_size) : Pager(page_size), quote_(std::move(quote)) {}

  InviteeQuery next_query() const;

 private:
  std::string quote_;
};

}  // namespace coinw::api
