#pragma once
// An account's business data, rendered and compressed once per change and
// shared by every scrape until the next change: between two refreshes a scrape
// renders and compresses only the small metrics that change on every request.
#include <memory>
#include <mutex>
#include <vector>

#include "collect/account.h"
#include "exposition/body.h"

namespace coinw::exporter {

class RenderCache {
 public:
  struct Render {
    collect::DataKey key;
    std::vector<exposition::FamilyPieces> families;
  };
  std::shared_ptr<const Render> get(const collect::AccountCollector& account, const collect::ExposeSettings& settings);

 private:
  std::mutex mu_;  // one rendering at a time: scrapes that arrive meanwhile take its result
  std::shared_ptr<const Render> render_;
};

}  // namespace coinw::exporter
