#include "config/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace coinw::config::detail {
namespace {

// A secret is a few dozen bytes; anything this large is the wrong file.
constexpr size_t kMaxSecretBytes = 64 * 1024;

std::string errno_text(int err) { return std::strerror(err); }

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

std::string resolve_path(const std::string& path, const std::string& config_path) {
  if (path.empty() || path[0] == '/') return path;
  auto dir = std::filesystem::path(config_path).parent_path();
  return dir.empty() ? path : (dir / path).string();
}

std::optional<std::string> read_file(const std::string& path, size_t max_bytes, std::string& problem, unsigned* mode) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  struct stat st {};
  if (fd.get() < 0 || ::fstat(fd.get(), &st) != 0) {
    problem = "cannot read " + path + ": " + errno_text(errno);
    return std::nullopt;
  }
  if (!S_ISREG(st.st_mode)) {
    problem = path + " is not a regular file";
    return std::nullopt;
  }
  if (mode) *mode = st.st_mode & 07777;
  const std::string too_large =
      path + " is larger than " + std::to_string(max_bytes / 1024) + " KiB; is it the right file?";
  if (static_cast<size_t>(st.st_size) > max_bytes) {
    problem = too_large;
    return std::nullopt;
  }
  std::string content;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      problem = "cannot read " + path + ": " + errno_text(errno);
      return std::nullopt;
    }
    if (n == 0) return content;
    content.append(buf, static_cast<size_t>(n));
    if (content.size() > max_bytes) {  // the file grew since fstat
      problem = too_large;
      return std::nullopt;
    }
  }
}

SecretFile read_secret_file(const std::string& path) {
  SecretFile out;
  unsigned mode = 0;
  auto content = read_file(path, kMaxSecretBytes, out.problem, &mode);
  if (!content) return out;
  if ((mode & 077) != 0) out.loose_mode = mode & 0777;
  auto end = content->find_last_not_of(" \t\r\n\f\v");
  content->erase(end == std::string::npos ? 0 : end + 1);
  if (content->empty()) {
    out.problem = path + " is empty";
    return out;
  }
  out.value = std::move(content);
  return out;
}

std::string check_readable_file(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  struct stat st {};
  if (fd.get() < 0 || ::fstat(fd.get(), &st) != 0) return "cannot read " + path + ": " + errno_text(errno);
  if (!S_ISREG(st.st_mode)) return path + " is not a regular file";
  return {};
}

}  // namespace coinw::config::detail
