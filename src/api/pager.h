#pragma once
// Walks the paged invitee list. Never trusts the server to honour the asked page
// size (the docs give two different maxima): positions count the rows actually
// returned, and a short page before `total` is reached means the server capped
// the size, which is then asked for explicitly. Pure: it only decides the next
// query, so it can resume a pass across scrapes and be tested without I/O.
#include <cstdint>

#include "api/client.h"

namespace coinw::api {

class InviteePager {
 public:
  InviteePager(std::string quote, int page_size);

  InviteeQuery next_query() const;
  // Feeds the page answered to next_query(); returns false if this pass had to
  // restart from the first page (the paging became inconsistent).
  bool on_page(const InviteePage& page);
  bool done() const { return done_; }
  int64_t total() const { return total_; }
  int64_t rows_seen() const { return rows_seen_; }
  int page_size() const { return page_size_; }
  // Starts a new pass from the first page.
  void restart();

 private:
  std::string quote_;
  int page_size_;  // the size the server really uses, as far as we know
  int page_no_ = 1;
  int64_t rows_seen_ = 0;
  int64_t total_ = 0;
  bool done_ = false;
};

}  // namespace coinw::api
