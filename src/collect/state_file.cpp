#include "collect/state_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "log/log.h"

namespace coinw::collect {
namespace {

bool write_all(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

bool write_file_atomically(const std::filesystem::path& path, const std::string& text) {
  const auto tmp = path.string() + ".tmp";
  auto fail = [&](const char* what) {
    log::warn("cannot write state file",
              {{"file", path.string()}, {"err", std::string(what) + ": " + std::strerror(errno)}});
    ::unlink(tmp.c_str());
    return false;
  };
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return fail("open");
  // fchmod: an older temp file may have had other bits.
  const bool ok = ::fchmod(fd, 0600) == 0 && write_all(fd, text) && ::fsync(fd) == 0;
  if (::close(fd) != 0 || !ok) return fail("write");
  if (::rename(tmp.c_str(), path.c_str()) != 0) return fail("rename");
  // The rename itself is durable only once the directory is synced.
  int dir = ::open(path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return true;
}

StateDir::StateDir(std::filesystem::path dir) : dir_(std::move(dir)), writer_([this] { run(); }) {}

StateDir::~StateDir() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  writer_.join();
}

std::filesystem::path StateDir::path_for(const std::string& account) const {
  return dir_ / ("account-" + account + ".json");
}

void StateDir::save(const std::string& account, std::function<std::string()> encode) {
  {
    std::lock_guard lock(mu_);
    queued_.insert_or_assign(account, std::move(encode));
  }
  wake_.notify_all();
}

void StateDir::flush() {
  std::unique_lock lock(mu_);
  idle_.wait(lock, [this] { return queued_.empty() && !busy_; });
}

void StateDir::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !queued_.empty(); });
    if (queued_.empty() && stopping_) return;
    auto node = queued_.extract(queued_.begin());
    busy_ = true;
    lock.unlock();
    const auto start = std::chrono::steady_clock::now();
    const std::string text = node.mapped()();
    const auto path = path_for(node.key());
    if (write_file_atomically(path, text))
      log::debug("state written",
                 {{"file", path.string()},
                  {"bytes", std::to_string(text.size())},
                  {"seconds",
                   std::to_string(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count())}});
    lock.lock();
    busy_ = false;
    if (queued_.empty()) idle_.notify_all();
  }
}

StateDir::Read StateDir::read(const std::string& account) const {
  const auto path = path_for(account);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec) && !ec) return {};
    return {std::nullopt, "unreadable"};
  }
  std::stringstream text;
  text << in.rdbuf();
  return {text.str(), ""};
}

}  // namespace coinw::collect
