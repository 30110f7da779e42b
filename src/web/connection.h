#pragma once
// Internal to the web module: one accepted client socket, plain or TLS, with
// the bytes received and not yet served and the answer not yet sent. The
// connection stage drives it without ever blocking; a worker that has it reads
// the rest of a request body with a deadline and queues the answer. One thread
// at a time uses it: the stage hands it over under a lock.
#include <openssl/ssl.h>
#include <sys/socket.h>

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace coinw::web {

class Connection {
 public:
  // Takes both; `ssl` is null for plain HTTP and already bound to `fd`.
  Connection(int fd, SSL* ssl, const sockaddr_storage& peer);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // What a non-blocking step ended on.
  enum class Io { done, want_read, want_write, closed };
  Io handshake();
  // Reads what has arrived, until the socket has no more or `cap` bytes wait.
  Io receive(size_t cap);
  // Sends queued output until it is all sent (done) or the socket is full.
  // Runs each after_sent() callback once the bytes queued before it are sent.
  Io send();
  // Whether the last send() moved any byte: the stage's write timeout counts from there.
  bool sent_some() const { return progressed_; }

  // The bytes received and not yet read by a worker; the stage drops
  // `n` leading bytes (empty lines before a request) with discard().
  std::string_view pending() const { return std::string_view(in_).substr(in_pos_); }
  void discard(size_t n) { in_pos_ += n; }

  // Worker side: the next request bytes, from what was received, then from the
  // socket until `deadline`. 0 at the end of the stream, -1 on error or timeout.
  long read(char* out, size_t size, std::chrono::steady_clock::time_point deadline);
  // Worker side: queue answer bytes; a copy, or a view kept alive by `owner`.
  void queue(std::string_view bytes);
  void queue_shared(std::shared_ptr<const std::string> owner, std::string_view bytes);
  void after_sent(std::function<void()> fn);
  bool has_output() const { return !out_.empty(); }
  // Closing will reset the connection instead of leaving the kernel to deliver
  // what it holds: for an answer that will never be whole anyway.
  void abort();

  int fd() const { return fd_; }
  // Numeric address and port of the client, or of our end.
  void peer(std::string& ip, int& port) const;
  void local(std::string& ip, int& port) const;

 private:
  struct Chunk {
    std::shared_ptr<const std::string> owner;
    std::string_view bytes;
    std::function<void()> done;  // with empty bytes
  };
  Io send_plain();
  Io send_tls();
  Io tls_error(int ret);
  void compact();

  int fd_;
  SSL* ssl_;
  sockaddr_storage peer_;
  std::string in_;
  size_t in_pos_ = 0;
  std::deque<Chunk> out_;
  std::shared_ptr<std::string> tail_copy_;  // the last chunk when it is our own copy
  bool progressed_ = false;
};

}  // namespace coinw::web
