#pragma once
// Internal to the web module: the web configuration in force, re-read when its
// file or a certificate, key or CA file it names changes, so that certificates
// rotate and users change without a restart.
#include <sys/types.h>

#include <array>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "web/auth.h"
#include "web/tls.h"
#include "web/web_config.h"

namespace coinw::web {

class WebConfigWatch {
 public:
  struct State {
    WebConfig config;
    SslCtxPtr tls;                    // null without TLS
    std::shared_ptr<BasicAuth> auth;  // null without users
  };

  // `source` is the file `initial` came from; "" when it came from code: then
  // only the files it names are watched. Throws std::runtime_error when the TLS
  // context cannot be built.
  WebConfigWatch(std::string source, WebConfig initial);

  // The state now. Looks for changed files at most once a second; on a change
  // it re-reads them, and keeps the previous state (logging why) when the new
  // one is unusable.
  std::shared_ptr<const State> current();
  // Looks now (SIGHUP). Returns "" when the state in force is the files' state,
  // else why the files were refused.
  std::string reload();

 private:
  // What identifies a file's content cheaply: replaced (rename, symlink swap) or rewritten.
  struct Stamp {
    dev_t dev = 0;
    ino_t ino = 0;
    off_t size = -1;
    long long mtime_ns = 0;
    bool operator==(const Stamp&) const = default;
  };
  using Stamps = std::array<Stamp, 4>;  // source, cert, key, client CA
  Stamps stamps(const WebConfig& c) const;
  // Builds from the files now; the error is "" or why they were refused.
  std::string rebuild(const Stamps& now);

  const std::string source_;
  std::mutex mu_;
  std::shared_ptr<const State> state_;
  Stamps stamps_;
  std::chrono::steady_clock::time_point next_check_;
};

}  // namespace coinw::web
