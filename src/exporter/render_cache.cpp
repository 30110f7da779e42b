#include "exporter/render_cache.h"

namespace coinw::exporter {

std::shared_ptr<const RenderCache::Render> RenderCache::get(const collect::AccountCollector& account,
                                                            const collect::ExposeSettings& settings) {
  const collect::DataKey key = account.data_key(settings);
  std::lock_guard lock(mu_);
  if (render_ && render_->key == key) return render_;
  exposition::FamilySet out;
  if (render_) {
    // Sized from the last render, each family's text grows once, not by doubling.
    for (const auto& f : render_->families) out.reserve(f.name, f.body.text->size() + f.body.text->size() / 16);
    // Scrapes still sending it keep it; dropping our reference first keeps the
    // peak at one rendering, not two, when none is in flight.
    render_.reset();
  }
  account.collect_data(out, key);
  render_ = std::make_shared<const Render>(Render{key, exposition::make_pieces(std::move(out).take())});
  return render_;
}

}  // namespace coinw::exporter
