#include "web/connection_stage.h"

#include <malloc.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <list>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <utility>

#include "log/log.h"
#include "web/request_head.h"

namespace coinw::web {
namespace {

using SteadyTime = std::chrono::steady_clock::time_point;
using std::chrono::milliseconds;

// Descriptors left to the rest of the process when the limit is derived.
constexpr size_t kReservedDescriptors = 128;
constexpr int kAcceptBatch = 256;
constexpr int kEvents = 256;
// With nothing to close and no descriptor to accept with, accepting waits this long.
constexpr milliseconds kAcceptPause{100};
constexpr auto kWarnEvery = std::chrono::seconds(10);
constexpr int kUnsentLimit = 32 * 1024;
// A flood this large gives its memory back to the system once it is gone.
constexpr size_t kTrimAfter = 256;
// ... this long after it ended, so that its last connections are gone too.
constexpr milliseconds kTrimDelay{1000};

SteadyTime now() { return std::chrono::steady_clock::now(); }

size_t derived_max_connections(size_t listeners) {
  rlimit r{};
  size_t limit = 1024;
  if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur != RLIM_INFINITY) limit = r.rlim_cur;
  // Below that, half the descriptors still leave the process its share.
  const size_t reserve = std::min(kReservedDescriptors, limit / 2) + listeners + 2;
  return limit > reserve ? limit - reserve : 1;
}

enum class Phase { handshake, head, idle, busy, sending };

}  // namespace

struct ConnectionStage::Impl {
  struct Slot {
    std::unique_ptr<Connection> conn;
    Phase phase = Phase::head;
    SteadyTime since;  // start of the phase's timeout; the last progress when sending
    std::list<Slot*>* list = nullptr;
    std::list<Slot*>::iterator pos;
    bool registered = false;  // with epoll
    size_t served = 0;
    bool last = false;  // the request at a worker is the connection's last
    bool keep = false;  // set by the worker: another request may follow
  };

  Impl(std::vector<int> l, StageLimits lim, NewSession t, Serve s)
      : listeners(std::move(l)), limits(lim), tls(std::move(t)), serve(std::move(s)) {
    if (limits.max_connections == 0) limits.max_connections = derived_max_connections(listeners.size());
  }

  std::vector<int> listeners;
  StageLimits limits;
  NewSession tls;
  Serve serve;
  int ep = -1, wake = -1;
  const char wake_tag = 0;
  std::thread loop;
  std::vector<std::thread> workers;

  // Stage thread only.
  std::unordered_map<Slot*, std::unique_ptr<Slot>> slots;
  std::vector<std::unique_ptr<Slot>> closed;  // freed after the events that may name them
  std::list<Slot*> waiting, idle, sending;    // oldest first: deadlines in order
  bool accepting = false;
  SteadyTime resume_at{};
  size_t peak = 0;  // connections open at once since the last trim
  std::optional<SteadyTime> trim_at;
  bool closing = false;  // stop() seen
  SteadyTime grace_end{};
  SteadyTime last_warning{};

  // Shared with the workers and stop().
  std::mutex mu;
  std::condition_variable job_ready;
  std::deque<Slot*> jobs, done;
  bool stop_requested = false, workers_stop = false;
  bool newest_next = true;  // under a backlog, which end of jobs is served next

  void run();
  void work();
  void handle(void* tag);
  void accept_from(int fd);
  void admit(int fd, const sockaddr_storage& peer);
  bool evict();
  void pause_accepting(SteadyTime until);
  void set_accepting(bool on);
  void advance(Slot* s);
  void arm(Slot* s, Connection::Io io);
  void enter(Slot* s, Phase p);
  void dispatch(Slot* s, bool peer_closed);
  void returned(Slot* s);
  void close(Slot* s);
  void expire();
  void begin_closing();
  int wait_ms() const;
  void warn(const char* message, const char* detail);
  std::list<Slot*>* list_of(Phase p);
  milliseconds timeout_of(const std::list<Slot*>* l) const {
    return l == &idle ? limits.idle_timeout : l == &sending ? limits.write_timeout : limits.header_timeout;
  }
};

std::list<ConnectionStage::Impl::Slot*>* ConnectionStage::Impl::list_of(Phase p) {
  switch (p) {
    case Phase::handshake:
    case Phase::head: return &waiting;
    case Phase::idle: return &idle;
    case Phase::sending: return &sending;
    case Phase::busy: return nullptr;
  }
  return nullptr;
}

void ConnectionStage::Impl::warn(const char* message, const char* detail) {
  const SteadyTime t = now();
  if (t - last_warning < kWarnEvery) return;
  last_warning = t;
  log::warn(message, {{"open_connections", std::to_string(slots.size())},
                      {"max_connections", std::to_string(limits.max_connections)},
                      {"detail", detail}});
}

void ConnectionStage::Impl::enter(Slot* s, Phase p) {
  if (s->list) s->list->erase(s->pos);
  s->phase = p;
  s->since = now();
  s->list = list_of(p);
  if (s->list) s->pos = s->list->insert(s->list->end(), s);
}

void ConnectionStage::Impl::close(Slot* s) {
  if (s->list) s->list->erase(s->pos);
  s->list = nullptr;
  // A client that stopped reading would keep the rest of its answer in the
  // kernel as an orphaned socket for minutes.
  if (s->conn->has_output()) s->conn->abort();
  s->conn.reset();  // the descriptor is free from here on
  auto it = slots.find(s);
  closed.push_back(std::move(it->second));
  slots.erase(it);
  // A descriptor or slot came free: a paused accept may try again.
  if (!accepting && !closing) resume_at = now();
  // glibc keeps what a flood's connections and answers used for later, so
  // resident memory would stay at the flood's level: shortly after most of
  // them are gone (the rest close meanwhile), it goes back to the system.
  if (peak >= kTrimAfter && slots.size() * 16 <= peak && !trim_at) trim_at = now() + kTrimDelay;
}

void ConnectionStage::Impl::arm(Slot* s, Connection::Io io) {
  epoll_event ev{};
  ev.events = EPOLLONESHOT | (io == Connection::Io::want_write ? EPOLLOUT : EPOLLIN);
  ev.data.ptr = s;
  const int fd = s->conn->fd();
  if (epoll_ctl(ep, s->registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &ev) != 0) return close(s);
  s->registered = true;
}

bool ConnectionStage::Impl::evict() {
  Slot* victim = nullptr;
  for (auto* l : {&idle, &waiting, &sending})
    if (!l->empty() && (!victim || l->front()->since < victim->since)) victim = l->front();
  if (!victim) return false;
  close(victim);
  return true;
}

void ConnectionStage::Impl::set_accepting(bool on) {
  if (accepting == on) return;
  accepting = on;
  for (size_t i = 0; i < listeners.size(); ++i) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = &listeners[i];
    epoll_ctl(ep, on ? EPOLL_CTL_ADD : EPOLL_CTL_DEL, listeners[i], &ev);
  }
}

void ConnectionStage::Impl::pause_accepting(SteadyTime until) {
  set_accepting(false);
  resume_at = until;
}

void ConnectionStage::Impl::accept_from(int lfd) {
  for (int i = 0; i < kAcceptBatch && accepting; ++i) {
    sockaddr_storage peer{};
    socklen_t len = sizeof peer;
    const int fd = accept4(lfd, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      if (slots.size() < limits.max_connections || evict()) {
        admit(fd, peer);
        continue;
      }
      ::close(fd);
      warn("connection limit reached; refusing connections until one closes", "all connections are being served");
      return pause_accepting(now() + kAcceptPause);
    }
    if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return;
    const bool exhausted = errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM;
    const char* why = std::strerror(errno);
    if (exhausted) {
      // Linux wants a descriptor before it looks at the queue: see whether a
      // connection really waits before closing one for it.
      pollfd queued{lfd, POLLIN, 0};
      if (::poll(&queued, 1, 0) <= 0) return;
      // The connection that waited longest gives its descriptor to the new one.
      if (evict()) {
        warn("out of file descriptors; closing the connection that waited longest", why);
        continue;
      }
    }
    warn("cannot accept connections; trying again shortly", why);
    return pause_accepting(now() + kAcceptPause);
  }
}

void ConnectionStage::Impl::admit(int fd, const sockaddr_storage& peer) {
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  // A client that does not read holds at most this much of its answer in the
  // kernel, instead of a send buffer grown to megabytes; one that reads is not
  // slowed, since data in flight does not count.
  setsockopt(fd, IPPROTO_TCP, TCP_NOTSENT_LOWAT, &kUnsentLimit, sizeof kUnsentLimit);
  SSL* ssl = nullptr;
  if (tls) {
    if (!(ssl = tls()) || SSL_set_fd(ssl, fd) != 1) {
      if (ssl) SSL_free(ssl);
      ::close(fd);
      return;
    }
    SSL_set_accept_state(ssl);
    // Buffers go back while a connection waits, so idle TLS costs little too.
    SSL_set_mode(ssl, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
  }
  auto slot = std::make_unique<Slot>();
  slot->conn = std::make_unique<Connection>(fd, ssl, peer);
  Slot* s = slot.get();
  slots.emplace(s, std::move(slot));
  peak = std::max(peak, slots.size());
  enter(s, ssl ? Phase::handshake : Phase::head);
  advance(s);  // the request often arrives with the connection
}

void ConnectionStage::Impl::advance(Slot* s) {
  Connection& c = *s->conn;
  using Io = Connection::Io;
  if (s->phase == Phase::handshake) {
    const Io io = c.handshake();
    if (io == Io::closed) return close(s);
    if (io != Io::done) return arm(s, io);
    s->phase = Phase::head;  // the header timeout still counts from accept
  }
  if (s->phase == Phase::head || s->phase == Phase::idle) {
    const Io io = c.receive(limits.max_head + limits.max_body);
    if (s->phase == Phase::idle && !c.pending().empty()) enter(s, Phase::head);
    const RequestScan scan = scan_request(c.pending(), limits.max_head, limits.max_body);
    c.discard(scan.skip);
    if (scan.state == RequestScan::State::ready) return dispatch(s, io == Io::closed);
    if (scan.state == RequestScan::State::too_large || io == Io::closed || io == Io::done) return close(s);
    return arm(s, io);
  }
  if (s->phase == Phase::sending) {
    const Io io = c.send();
    if (c.sent_some()) enter(s, Phase::sending);  // the write timeout counts from the last progress
    if (io == Io::closed) return close(s);
    if (io != Io::done) return arm(s, io);
    if (!s->keep || closing) return close(s);
    enter(s, Phase::idle);
    advance(s);  // a pipelined request, or bytes TLS already decrypted, are not signalled again
  }
}

void ConnectionStage::Impl::dispatch(Slot* s, bool peer_closed) {
  enter(s, Phase::busy);
  s->last = peer_closed || closing || s->served + 1 >= limits.max_requests_per_connection;
  {
    std::lock_guard lock(mu);
    jobs.push_back(s);
  }
  job_ready.notify_one();
}

void ConnectionStage::Impl::returned(Slot* s) {
  ++s->served;
  if (s->conn->has_output()) {
    enter(s, Phase::sending);
    return advance(s);
  }
  if (!s->keep || closing) return close(s);
  enter(s, Phase::idle);
  advance(s);
}

void ConnectionStage::Impl::work() {
  for (;;) {
    Slot* s;
    {
      std::unique_lock lock(mu);
      job_ready.wait(lock, [&] { return !jobs.empty() || workers_stop; });
      if (jobs.empty()) return;
      // First come, first served; but with more requests waiting than there are
      // workers, the newest and the oldest in turn: the newest so that a scrape
      // that has just arrived meets its deadline instead of waiting out a
      // flood's backlog, the oldest so that nothing starves (newest only left
      // some of 200 steady scrapers unanswered for over 10 s).
      bool newest = false;
      if (jobs.size() > limits.workers)
        newest = std::exchange(newest_next, !newest_next);
      else
        newest_next = true;
      s = newest ? jobs.back() : jobs.front();
      if (newest)
        jobs.pop_back();
      else
        jobs.pop_front();
    }
    bool keep = false;
    try {
      keep = serve(*s->conn, s->last) && !s->last;
    } catch (const std::exception& e) {
      log::error("serving a request failed", {{"err", e.what()}});
    }
    s->keep = keep;
    {
      std::lock_guard lock(mu);
      done.push_back(s);
    }
    const uint64_t one = 1;
    [[maybe_unused]] auto ignored = ::write(wake, &one, sizeof one);
  }
}

void ConnectionStage::Impl::expire() {
  const SteadyTime t = now();
  for (auto* l : {&waiting, &idle, &sending}) {
    const auto timeout = timeout_of(l);
    while (!l->empty() && l->front()->since + timeout <= t) close(l->front());
  }
  if (closing && t >= grace_end)
    while (!sending.empty()) close(sending.front());
  if (!accepting && !closing && t >= resume_at) set_accepting(true);
  if (trim_at && t >= *trim_at) {
    malloc_trim(0);
    peak = slots.size();
    trim_at.reset();
  }
}

int ConnectionStage::Impl::wait_ms() const {
  std::optional<SteadyTime> next;
  auto earliest = [&](SteadyTime t) { next = next ? std::min(*next, t) : t; };
  for (auto* l : {&waiting, &idle, &sending})
    if (!l->empty()) earliest(l->front()->since + timeout_of(l));
  if (!accepting && !closing) earliest(resume_at);
  if (closing && !sending.empty()) earliest(grace_end);
  if (trim_at) earliest(*trim_at);
  if (!next) return -1;
  const auto ms = std::chrono::ceil<milliseconds>(*next - now()).count();
  return static_cast<int>(std::clamp<long long>(ms, 0, 60'000));
}

void ConnectionStage::Impl::begin_closing() {
  closing = true;
  grace_end = now() + limits.stop_grace;
  set_accepting(false);
  // The vector keeps its size: events already fetched point into it.
  for (int& fd : listeners) ::close(std::exchange(fd, -1));
  for (auto* l : {&waiting, &idle})
    while (!l->empty()) close(l->front());
}

void ConnectionStage::Impl::handle(void* tag) {
  if (tag == &wake_tag) {
    uint64_t n;
    [[maybe_unused]] auto ignored = ::read(wake, &n, sizeof n);
    std::deque<Slot*> back;
    bool stopping;
    {
      std::lock_guard lock(mu);
      back.swap(done);
      stopping = stop_requested;
    }
    if (stopping && !closing) begin_closing();
    for (Slot* s : back) returned(s);
    return;
  }
  for (int& fd : listeners)
    if (tag == &fd) return fd >= 0 ? accept_from(fd) : void();
  auto* s = static_cast<Slot*>(tag);
  if (s->conn && s->phase != Phase::busy) advance(s);
}

void ConnectionStage::Impl::run() {
  epoll_event events[kEvents];
  while (!closing || !slots.empty()) {
    const int n = epoll_wait(ep, events, kEvents, wait_ms());
    if (n < 0 && errno != EINTR) {
      log::error("web server event loop failed", {{"err", std::strerror(errno)}});
      std::this_thread::sleep_for(kAcceptPause);
    }
    for (int i = 0; i < n; ++i) handle(events[i].data.ptr);
    closed.clear();
    expire();
    closed.clear();
  }
}

ConnectionStage::ConnectionStage(std::vector<int> listeners, StageLimits limits, NewSession tls, Serve serve)
    : impl_(std::make_unique<Impl>(std::move(listeners), limits, std::move(tls), std::move(serve))) {}

ConnectionStage::~ConnectionStage() {
  stop();
  for (int fd : impl_->listeners)
    if (fd >= 0) ::close(fd);
}

size_t ConnectionStage::max_connections() const { return impl_->limits.max_connections; }

void ConnectionStage::start() {
  auto& im = *impl_;
  im.ep = epoll_create1(EPOLL_CLOEXEC);
  im.wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (im.ep < 0 || im.wake < 0)
    throw std::runtime_error(std::string("cannot start the web server: ") + std::strerror(errno));
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = const_cast<char*>(&im.wake_tag);
  epoll_ctl(im.ep, EPOLL_CTL_ADD, im.wake, &ev);
  im.set_accepting(true);
  for (size_t i = 0; i < im.limits.workers; ++i) {
    im.workers.emplace_back([&im] { im.work(); });
    pthread_setname_np(im.workers.back().native_handle(), "web-worker");
  }
  im.loop = std::thread([&im] { im.run(); });
  pthread_setname_np(im.loop.native_handle(), "web-stage");
}

void ConnectionStage::stop() {
  auto& im = *impl_;
  if (!im.loop.joinable()) return;
  {
    std::lock_guard lock(im.mu);
    im.stop_requested = true;
  }
  const uint64_t one = 1;
  [[maybe_unused]] auto ignored = ::write(im.wake, &one, sizeof one);
  im.loop.join();
  {
    std::lock_guard lock(im.mu);
    im.workers_stop = true;
  }
  im.job_ready.notify_all();
  for (auto& w : im.workers) w.join();
  im.workers.clear();
  ::close(im.ep);
  ::close(im.wake);
  im.ep = im.wake = -1;
}

}  // namespace coinw::web
