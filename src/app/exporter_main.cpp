// coinw_exporter: flags, configuration, signals; everything else is in coinw_core.
#include <malloc.h>
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <mutex>

#include "check/run.h"
#include "config/config.h"
#include "exporter/cli.h"
#include "exporter/exporter.h"
#include "exporter/runbook.h"
#include "log/log.h"
#include "web/server.h"

using namespace coinw;

int main(int argc, char** argv) {
  // A write to a connection the peer closed (a keep-alive socket CoinW or the
  // proxy dropped; OpenSSL writes with write(2)) must be an error, not the end
  // of the process. --api.check, one request per second, hit it through tinyproxy.
  signal(SIGPIPE, SIG_IGN);
  exporter::CliOptions cli;
  try {
    cli = exporter::parse_cli(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const exporter::CliError& e) {
    std::fprintf(stderr, "coinw_exporter: %s\n", e.what());
    return 2;
  }
  const auto build = exporter::build_info();
  if (cli.help) {
    std::fputs(exporter::usage().c_str(), stdout);
    return 0;
  }
  if (cli.version) {
    std::fputs(exporter::version_text(build).c_str(), stdout);
    return 0;
  }
  log::configure(cli.log_level, cli.log_format);
  // Scrapes run on many threads, and glibc gives threads arenas of their own that
  // each keep freed memory: two arenas keep resident memory flat over refreshes
  // (docs/performance.md) at no measurable cost for an exporter's load.
  mallopt(M_ARENA_MAX, 2);

  config::Loaded loaded;
  try {
    loaded = config::load_config_file(cli.config_file);
  } catch (const config::ConfigError& e) {
    std::fprintf(stderr, "coinw_exporter: invalid configuration:\n%s\n", e.what());
    return 1;
  }
  if (cli.config_check) {
    for (const auto& w : loaded.warnings) std::printf("warning: %s\n", w.c_str());
    std::printf("%s: configuration is valid\n%s", cli.config_file.c_str(), config::describe(loaded.config).c_str());
    return 0;
  }
  exporter::log_config_warnings(loaded.warnings);
  if (cli.api_check) {
    const auto reports = check::check_accounts(loaded.config, SystemClock::instance());
    std::fputs(check::render(reports, cli.format_json ? check::Format::json : check::Format::text).c_str(), stdout);
    return check::exit_code(reports);
  }

  web::WebConfig web_config;
  if (!cli.web_config_file.empty()) {
    try {
      web_config = web::load_web_config(cli.web_config_file);
    } catch (const web::WebConfigError& e) {
      std::fprintf(stderr, "coinw_exporter: invalid web configuration:\n%s\n", e.what());
      return 1;
    }
  }

  // Signals are taken by sigwait below, so every thread started from here on blocks them.
  sigset_t signals;
  sigemptyset(&signals);
  for (int s : {SIGHUP, SIGTERM, SIGINT}) sigaddset(&signals, s);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  exporter::Exporter exp(SystemClock::instance());
  exp.apply(loaded.config);

  std::mutex reload_mu;                  // the web configuration too is reloaded one at a time
  web::WebServer* web_server = nullptr;  // set once serving
  auto reload = [&]() -> std::pair<bool, std::string> {
    std::lock_guard lock(reload_mu);
    if (web_server)
      if (auto err = web_server->reload_web_config(); !err.empty())
        log::error("web configuration reload failed; keeping the previous one", {{"err", err}});
    const auto r = exp.reload(cli.config_file);
    return {r.ok, r.message};
  };

  web::Handlers handlers;
  handlers.metrics = [&](const web::ScrapeRequest& r) { return exp.metrics(r); };
  handlers.probe = [&](const web::ScrapeRequest& r) { return exp.probe(r); };
  handlers.landing_page = [&] { return exp.landing_page(cli.telemetry_path); };
  handlers.runbook = [] { return exporter::runbook_page(); };
  handlers.ready = [&] { return exp.ready(); };
  if (cli.enable_lifecycle) handlers.reload = reload;
  // The "listening" line says how many connections that allows.
  web::raise_open_files_limit();
  web::WebServer server({cli.listen_addresses, cli.telemetry_path, cli.max_requests, cli.web_config_file}, web_config,
                        handlers);
  try {
    server.start();
  } catch (const std::exception& e) {
    log::error("cannot serve", {{"err", e.what()}});
    return 1;
  }
  {
    std::lock_guard lock(reload_mu);
    web_server = &server;
  }
  log::info("coinw_exporter started", {{"version", build.version},
                                       {"revision", build.revision},
                                       {"tls", web_config.tls() ? "true" : "false"},
                                       {"accounts", std::to_string(loaded.config.accounts.size())}});

  for (;;) {
    int sig = 0;
    if (sigwait(&signals, &sig) != 0) continue;
    if (sig != SIGHUP) break;
    reload();
  }
  log::info("shutting down");
  server.stop();
  return 0;
}
