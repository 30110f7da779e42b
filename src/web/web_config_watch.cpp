#include "web/web_config_watch.h"

#include <sys/stat.h>

#include <stdexcept>

#include "log/log.h"

namespace coinw::web {
namespace {

constexpr auto kCheckInterval = std::chrono::seconds(1);

std::shared_ptr<WebConfigWatch::State> build(WebConfig config, std::string& error) {
  auto s = std::make_shared<WebConfigWatch::State>();
  if (config.tls() && !(s->tls = make_tls_context(config, error))) return nullptr;
  if (config.auth()) s->auth = std::make_shared<BasicAuth>(config.basic_auth_users);
  s->config = std::move(config);
  return s;
}

}  // namespace

WebConfigWatch::WebConfigWatch(std::string source, WebConfig initial) : source_(std::move(source)) {
  stamps_ = stamps(initial);
  std::string error;
  state_ = build(std::move(initial), error);
  if (!state_) throw std::runtime_error("TLS setup failed: " + error);
  next_check_ = std::chrono::steady_clock::now() + kCheckInterval;
}

WebConfigWatch::Stamps WebConfigWatch::stamps(const WebConfig& c) const {
  Stamps out;
  const std::string* paths[] = {&source_, &c.cert_file, &c.key_file, &c.client_ca_file};
  for (size_t i = 0; i < out.size(); ++i) {
    struct stat st {};
    if (paths[i]->empty() || ::stat(paths[i]->c_str(), &st) != 0) continue;
    out[i] = {st.st_dev, st.st_ino, st.st_size, st.st_mtim.tv_sec * 1'000'000'000LL + st.st_mtim.tv_nsec};
  }
  return out;
}

std::string WebConfigWatch::rebuild(const Stamps& now) {
  // Recorded first: files that stay broken are not read again on every connection.
  stamps_ = now;
  WebConfig next = state_->config;
  try {
    if (!source_.empty()) next = load_web_config(source_);
  } catch (const WebConfigError& e) {
    return e.what();
  }
  // The listening sockets are plain or TLS for good.
  if (next.tls() != state_->config.tls()) return "turning TLS on or off needs a restart";
  if (next.headers != state_->config.headers) log::warn("web configuration: changed headers apply after a restart");
  std::string error;
  auto built = build(std::move(next), error);
  if (!built) return error;
  // The files the new configuration names are the ones to watch from now on.
  stamps_ = stamps(built->config);
  state_ = std::move(built);
  log::info("web configuration reloaded", {{"file", source_}, {"tls", state_->config.tls() ? "true" : "false"}});
  return "";
}

std::shared_ptr<const WebConfigWatch::State> WebConfigWatch::current() {
  std::lock_guard lock(mu_);
  const auto now = std::chrono::steady_clock::now();
  if (now < next_check_) return state_;
  next_check_ = now + kCheckInterval;
  if (const auto s = stamps(state_->config); s != stamps_)
    if (auto error = rebuild(s); !error.empty())
      log::error("web configuration reload failed; keeping the previous one", {{"err", error}});
  return state_;
}

std::string WebConfigWatch::reload() {
  std::lock_guard lock(mu_);
  next_check_ = std::chrono::steady_clock::now() + kCheckInterval;
  return rebuild(stamps(state_->config));
}

}  // namespace coinw::web
