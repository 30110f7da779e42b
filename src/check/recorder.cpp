#include "check/recorder.h"

namespace coinw::check {

api::Result<api::HttpResponse> Recorder::send(const api::HttpRequest& request) {
  auto result = inner_.send(request);
  exchanges_.push_back({request.path, result ? std::optional(result.value()) : std::nullopt});
  return result;
}

std::vector<std::string_view> Recorder::bodies(std::string_view path, size_t from) const {
  std::vector<std::string_view> out;
  for (size_t i = from; i < exchanges_.size(); ++i)
    if (exchanges_[i].path == path && exchanges_[i].answer) out.push_back(exchanges_[i].answer->body);
  return out;
}

}  // namespace coinw::check
