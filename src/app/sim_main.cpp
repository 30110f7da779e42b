// coinw-sim: command-line front end of coinw::sim::Simulator (see src/sim/simulator.h).
#include <csignal>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "sim/cli.h"
#include "sim/simulator.h"

namespace {

// The first line of the file, without its line ending.
std::string read_secret(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw coinw::FlagError("flag --secret-key-file: cannot read " + path);
  std::string secret;
  std::getline(in, secret);
  if (!secret.empty() && secret.back() == '\r') secret.pop_back();
  if (secret.empty()) throw coinw::FlagError("flag --secret-key-file: the file is empty");
  return secret;
}

}  // namespace

int main(int argc, char** argv) {
  coinw::sim::Options options;
  try {
    auto cli = coinw::sim::parse_cli(std::vector<std::string>(argv + 1, argv + argc));
    if (cli.help) {
      std::cout << coinw::sim::usage();
      return 0;
    }
    options = std::move(cli.options);
    if (!cli.secret_key_file.empty()) options.secret_key = read_secret(cli.secret_key_file);
  } catch (const coinw::FlagError& e) {
    std::cerr << "coinw-sim: " << e.what() << "\n";
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
    std::cout << "coinw-sim listening on " << sim.url() << " (api key " << options.api_key << ", seed " << options.seed
              << ")" << std::endl;
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
