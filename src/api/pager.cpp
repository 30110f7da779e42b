#include "api/pager.h"

namespace coinw::api {

InviteePager::InviteePager(std::string quote, int page_size)
    : quote_(std::move(quote)), page_size_(page_size) {}

InviteeQuery InviteePager::next_query() const {
  InviteeQuery q;
  q.quote = quote_;
  q.page_no = page_no_;
  q.page_size = page_size_;
  return q;
}

void InviteePager::restart() {
  page_no_ = 1;
  rows_seen_ = 0;
  done_ = false;
}

bool InviteePager::on_page(const InviteePage& page) {
  const auto n = static_cast<int64_t>(page.rows.size() + page.invalid_rows);
  total_ = page.total;
  if (n == 0) {
    done_ = true;
    return true;
  }
  rows_seen_ += n;
  if (rows_seen_ >= total_) {
    done_ = true;
    return true;
  }
  if (n < page_size_) {
    // A short page before the end: the server caps the size. Pages so far are
    // consistent with the new size only if they all had exactly n rows.
    const bool consistent = page_no_ == 1;
    page_size_ = static_cast<int>(n);
    if (!consistent) {
      restart();
      return false;
    }
  }
  ++page_no_;
  return true;
}

}  // namespace coinw::api
