#include "api/pager.h"

namespace coinw::api {

InviteePager::InviteePager(std::string quote, int page_size)
    : quote_(std::move(quote)), page_size_(page_size), served_size_(page_size) {}

InviteeQuery InviteePager::next_query() const {
  InviteeQuery q;
  q.quote = quote_;
  q.page_no = page_no_;
  q.page_size = page_size_;
  return q;
}

void InviteePager::restart() {
  served_size_ = page_size_;
  page_no_ = 1;
  pages_ = 0;
  rows_seen_ = 0;
  done_ = false;
}

void InviteePager::on_page(const InviteePage& page, size_t new_rows) {
  // Unreadable rows still hold their place on the page.
  const auto n = static_cast<int64_t>(page.rows.size() + page.invalid_rows);
  if (page.total) total_ = page.total;
  ++pages_;
  rows_seen_ += n;
  if (page_no_ == 1) {
    // A short first page is either the whole list or the server's cap; only
    // CoinW's count can tell them apart, and it is the only place it decides.
    if (n == 0 || (n < page_size_ && (!page.total || *page.total <= n))) {
      done_ = true;
      return;
    }
    if (n < page_size_) served_size_ = static_cast<int>(n);
  } else if (n < served_size_ || new_rows == 0) {
    done_ = true;
    return;
  }
  ++page_no_;
}

}  // namespace coinw::api
