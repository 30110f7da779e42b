// coinw-sim: command-line front end of coinw::sim::Simulator (see src/sim/simulator.h).
#include <csignal>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>

#include "sim/simulator.h"

namespace {

constexpr const char* kHelp = R"(Usage: coinw-sim [flags]
Simulates the CoinW API on loopback for the demo and tests.

  --listen=HOST:PORT          address to listen on (default 127.0.0.1:8790; port 0 = any)
  --tls-cert=FILE             PEM certificate; with --tls-key serves HTTPS
  --tls-key=FILE              PEM private key
  --api-key=KEY               accepted API key (default demo-key)
  --secret-key=SECRET         secret for both signing schemes (default demo-secret)
  --secret-key-file=FILE      read the secret from a file (trailing newline stripped)
  --seed=N                    dataset seed (default 42)
  --invitees=N                invitees per quote (default 250)
  --sub-accounts=N            sub-accounts (default 12)
  --page-size-cap=N           largest pageSize honoured (default 100)
  --default-page-size=N       pageSize when omitted (default 20)
  --timestamp-window-ms=N     allowed skew of the futures timestamp (default 30000)
  --invitee-limit=N           invitee endpoint requests/s per api key (default 5; 0 = off)
  --sub-account-limit=N       sub-account list requests/s per api key (default 3)
  --spot-ip-limit=N           spot requests/s per client IP (default 100)
  --spot-user-limit=N         spot requests/s per api key (default 300)
  --delay-max-ms=N            random network delay 0..N ms before a request arrives
  --fault-rate=R              probability 0..1 that an API request gets a fault
  --fault-kinds=K,K           http500,html,malformed,truncated,empty,slow,drop,storm
  --slow-ms=N                 delay of the `slow` fault (default 15000)
  --storm-length=N            29001 answers per `storm` (default 20)
  --quirks                    vary representations the docs leave open
  --time-zone-offset=+HH:MM   zone of emitted time strings (default +00:00)
  --help                      this text
)";

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

long long to_integer(const std::string& flag, const std::string& v) {
  size_t used = 0;
  long long n = 0;
  try {
    n = std::stoll(v, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != v.size()) throw UsageError(flag + ": not an integer: '" + v + "'");
  return n;
}

int to_int(const std::string& flag, const std::string& v) {
  long long n = to_integer(flag, v);
  if (n < -2147483647LL || n > 2147483647LL) throw UsageError(flag + ": out of range");
  return static_cast<int>(n);
}

coinw::sim::Options parse_args(int argc, char** argv) {
  coinw::sim::Options o;
  o.port = 8790;
  std::string secret_file;
  using Setter = std::function<void(const std::string& flag, const std::string& value)>;
  auto integer = [](int& slot) { return Setter([&slot](auto& f, auto& v) { slot = to_int(f, v); }); };
  auto text = [](std::string& slot) { return Setter([&slot](auto&, auto& v) { slot = v; }); };
  const std::map<std::string, Setter> flags = {
      {"--listen",
       [&](auto& f, auto& v) {
         auto colon = v.rfind(':');
         if (colon == std::string::npos || colon == 0) throw UsageError(f + ": expected HOST:PORT");
         o.host = v.substr(0, colon);
         o.port = to_int(f, v.substr(colon + 1));
         if (o.port < 0 || o.port > 65535) throw UsageError(f + ": port out of range");
       }},
      {"--tls-cert", text(o.tls_cert)},
      {"--tls-key", text(o.tls_key)},
      {"--api-key", text(o.api_key)},
      {"--secret-key", text(o.secret_key)},
      {"--secret-key-file", text(secret_file)},
      {"--seed",
       [&](auto& f, auto& v) {
         if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos)
           throw UsageError(f + ": not an unsigned integer");
         try {
           o.seed = std::stoull(v);
         } catch (const std::exception&) {
           throw UsageError(f + ": out of range");
         }
       }},
      {"--invitees", integer(o.invitees)},
      {"--sub-accounts", integer(o.sub_accounts)},
      {"--page-size-cap", integer(o.page_size_cap)},
      {"--default-page-size", integer(o.default_page_size)},
      {"--timestamp-window-ms", integer(o.timestamp_window_ms)},
      {"--invitee-limit", integer(o.limits.invitee_per_s)},
      {"--sub-account-limit", integer(o.limits.sub_account_per_s)},
      {"--spot-ip-limit", integer(o.limits.spot_ip_per_s)},
      {"--spot-user-limit", integer(o.limits.spot_user_per_s)},
      {"--delay-max-ms", integer(o.delay_max_ms)},
      {"--fault-rate",
       [&](auto& f, auto& v) {
         size_t used = 0;
         try {
           o.faults.rate = std::stod(v, &used);
         } catch (const std::exception&) {
           used = 0;
         }
         if (used == 0 || used != v.size()) throw UsageError(f + ": not a number: '" + v + "'");
       }},
      {"--fault-kinds",
       [&](auto&, auto& v) {
         o.faults.kinds.clear();
         std::stringstream ss(v);
         for (std::string k; std::getline(ss, k, ',');)
           if (!k.empty()) o.faults.kinds.push_back(k);
       }},
      {"--slow-ms", integer(o.faults.slow_ms)},
      {"--storm-length", integer(o.faults.storm_length)},
      {"--time-zone-offset", text(o.time_zone_offset)},
  };

  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kHelp;
      std::exit(0);
    }
    if (arg == "--quirks") {
      o.quirks = true;
      continue;
    }
    auto eq = arg.find('=');
    std::string name = arg.substr(0, eq);
    auto it = flags.find(name);
    if (it == flags.end()) throw UsageError("unknown flag: " + name);
    std::string value;
    if (eq != std::string::npos) {
      value = arg.substr(eq + 1);
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      throw UsageError(name + ": missing value");
    }
    it->second(name, value);
  }
  if (!secret_file.empty()) {
    std::ifstream in(secret_file);
    if (!in) throw UsageError("--secret-key-file: cannot read " + secret_file);
    std::getline(in, o.secret_key);
    if (!o.secret_key.empty() && o.secret_key.back() == '\r') o.secret_key.pop_back();
    if (o.secret_key.empty()) throw UsageError("--secret-key-file: file is empty");
  }
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  coinw::sim::Options options;
  try {
    options = parse_args(argc, argv);
  } catch (const UsageError& e) {
    std::cerr << "coinw-sim: " << e.what() << "\n(see --help)\n";
    return 2;
  }

  // Block the stop signals before any thread starts, so only sigwait sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  try {
    coinw::sim::Simulator sim(options);
    sim.start();
    std::cout << "coinw-sim listening on " << sim.url() << " (api key " << options.api_key << ", seed "
              << options.seed << ")" << std::endl;
    int sig = 0;
    sigwait(&stop_signals, &sig);
    sim.stop();
    std::cout << "coinw-sim stopped" << std::endl;
  } catch (const std::invalid_argument& e) {
    std::cerr << "coinw-sim: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "coinw-sim: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
