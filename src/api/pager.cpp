#include "api/pager.h"

namespace coinw::api {

Pager::Pager(int page_size) : page_size_(page_size), served_size_(page_size) {}

InviteeQuery InviteePager::next_query() const {
  const PageQuery p = Pager::next_query();
  InviteeQuery q;
  q.quote = quote_;
  q.page_no = p.page_no;
  q.page_size = p.page_size;
  return q;
}

void Pager::restart() {
  served_size_ = page_size_;
  page_no_ = 1;
  pages_ = 0;
  rows_seen_ = 0;
  done_ = false;
}

void Pager::on_rows(int64_t n, std::optional<int64_t> total, size_t new_rows) {
  if (total) total_ = total;
  ++pages_;
  rows_seen_ += n;
  if (page_no_ == 1) {
    // A short first page is either the whole list or the server's cap; only
    // CoinW's count can tell them apart, and it is the only place it decides.
    if (n == 0 || (n < page_size_ && (!total || *total <= n))) {
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
