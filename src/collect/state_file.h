#pragma once
// The state directory on disk (global.state_dir): one file per account,
// `account-<name>.json`, written atomically (temporary file, fsync, rename,
// directory fsync) with mode 0600 by one background thread, so no scrape
// waits on the disk. What goes into a file is state_codec.h's business.
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace coinw::collect {

// Writes `text` to `path` atomically with mode 0600; false (with a warning
// naming the file) when it could not.
bool write_file_atomically(const std::filesystem::path& path, const std::string& text);

class StateDir {
 public:
  explicit StateDir(std::filesystem::path dir);
  ~StateDir();  // writes what is still queued
  StateDir(const StateDir&) = delete;
  StateDir& operator=(const StateDir&) = delete;

  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path path_for(const std::string& account) const;
  // Queues a write of the account's file, its text made by `encode` on the
  // writer thread; a newer write replaces a queued one.
  void save(const std::string& account, std::function<std::string()> encode);
  // Writes everything queued before returning.
  void flush();
  // The account's file: its text, or nothing when there is none yet (a new
  // state_dir), or an error when it cannot be read.
  struct Read {
    std::optional<std::string> text;
    std::string error;  // empty: read, or no file yet
  };
  Read read(const std::string& account) const;

 private:
  void run();

  const std::filesystem::path dir_;
  std::mutex mu_;
  std::condition_variable wake_, idle_;
  std::map<std::string, std::function<std::string()>> queued_;
  bool busy_ = false, stopping_ = false;
  std::thread writer_;
};

}  // namespace coinw::collect
