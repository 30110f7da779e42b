#include "check/recorder.h"

namespace coinw::check {

api::Result<api::HttpResponse> Recorder::send(const api::HttpRequest& request) {
  auto result = inner_.send(request);
  std::string command;
  for (const auto& [k, v] : request.query)
    if (k == "command") command = v;
  exchanges_.push_back({request.path, std::move(command), result ? std::optional(result.value()) : std::nullopt});
  return result;
}

std::vector<std::string_view> Recorder::bodies(std::string_view path, std::string_view command) const {
  std::vector<std::string_view> out;
  for (const auto& e : exchanges_)
    if (e.path == path && e.command == command && e.answer) out.push_back(e.answer->body);
  return out;
}

}  // namespace coinw::check
