// The connection stage on loopback, with one worker and short timeouts: what
// waits costs no worker, what waits too long is closed, and running out of
// descriptors or slots makes room instead of failing.
#include "web/connection_stage.h"

#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include "log/log.h"
#include "support/loopback.h"
#include "web/listener.h"

namespace coinw::web {
namespace {

using namespace std::chrono_literals;
using testing::closed_by_peer;
using testing::connect_loopback;
using testing::receive_all;
using testing::receive_answers;
using testing::send_all;

constexpr std::string_view kGet = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
constexpr std::string_view kHalf = "GET / HTTP/1.1\r\nHost: x\r\n";

// Answers every request with `body`, queued without a copy, as the server does.
class Stage {
 public:
  // `work` runs on the worker with the request's head, before the answer.
  explicit Stage(StageLimits limits, std::shared_ptr<const std::string> body = std::make_shared<std::string>("ok"),
                 std::function<void(std::string_view)> work = {})
      : body_(std::move(body)) {
    std::string error;
    const int fd = open_listener("127.0.0.1", 0, error);
    EXPECT_GE(fd, 0) << error;
    port = bound_port(fd);
    stage_ = std::make_unique<ConnectionStage>(
        std::vector<int>{fd}, limits, nullptr, [this, work](Connection& c, bool last) {
          ++served;
          const size_t end = c.pending().find("\r\n\r\n") + 4;
          if (work) work(c.pending().substr(0, end));
          c.discard(end);
          c.queue("HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body_->size()) + "\r\n\r\n");
          c.queue_shared(body_, *body_);
          c.after_sent([this] { ++sent; });
          return !last;
        });
    stage_->start();
  }
  ConnectionStage& stage() { return *stage_; }
  // One request on a new connection; its whole answer, or what came.
  std::string get() {
    const int fd = connect_loopback(port);
    send_all(fd, kGet);
    auto answer = receive_answers(fd, 1, body_->size());
    ::close(fd);
    return answer;
  }
  bool whole(const std::string& answer) const {
    return answer.starts_with("HTTP/1.1 200 OK") && answer.ends_with("\r\n\r\n" + *body_);
  }

  int port = 0;
  std::atomic<int> served{0}, sent{0};

 private:
  std::shared_ptr<const std::string> body_;
  std::unique_ptr<ConnectionStage> stage_;
};

StageLimits one_worker() {
  StageLimits l;
  l.workers = 1;
  return l;
}

struct Sockets {
  std::vector<int> fds;
  ~Sockets() {
    for (int fd : fds) ::close(fd);
  }
  int open(int port, std::string_view send) {
    const int fd = connect_loopback(port);
    if (fd >= 0) send_all(fd, send);
    fds.push_back(fd);
    return fd;
  }
};

TEST(WebStage, HalfSentRequestsAndIdleConnectionsTakeNoWorker) {
  Stage s(one_worker());
  Sockets waiting;
  for (int i = 0; i < 50; ++i) ASSERT_GE(waiting.open(s.port, kHalf), 0);
  for (int i = 0; i < 50; ++i) {
    const int fd = waiting.open(s.port, kGet);
    ASSERT_TRUE(s.whole(receive_answers(fd, 1, 2))) << "kept alive, then idle";
  }
  EXPECT_TRUE(s.whole(s.get())) << "the only worker is free";
  EXPECT_EQ(s.served, 51);
}

TEST(WebStage, ClientsThatDoNotReadTakeNoWorkerAndShareTheBody) {
  auto body = std::make_shared<const std::string>(size_t(4) << 20, 'm');
  Stage s(one_worker(), body);
  Sockets readers;
  for (int i = 0; i < 20; ++i) {
    const int fd = readers.open(s.port, kGet);
    const int small = 4096;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
  }
  const std::string answer = s.get();
  EXPECT_TRUE(s.whole(answer)) << answer.size() << " bytes";
  // Ours, the stage's, and one per answer not yet sent: the same body, no copies.
  EXPECT_GT(body.use_count(), 2 + 10);
  EXPECT_LE(body.use_count(), 2 + 20 + 1);
}

TEST(WebStage, PipelinedRequestsAreAnsweredInOrderUpToTheLimitPerConnection) {
  StageLimits l = one_worker();
  l.max_requests_per_connection = 2;
  Stage s(l);
  const int fd = connect_loopback(s.port);
  send_all(fd, "\r\n" + std::string(kGet) + std::string(kGet) + std::string(kGet));
  const std::string answers = receive_all(fd, 10s);
  ::close(fd);
  EXPECT_EQ(answers,
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
      << "two answers, then the connection closes";
  EXPECT_EQ(s.served, 2);
}

TEST(WebStage, TimeoutsCloseWhatWaitsTooLong) {
  StageLimits l = one_worker();
  l.header_timeout = 200ms;
  l.idle_timeout = 200ms;
  l.write_timeout = 200ms;
  auto body = std::make_shared<const std::string>(size_t(16) << 20, 'm');
  Stage s(l, body);
  Sockets c;
  const int half = c.open(s.port, kHalf);
  const int silent = c.open(s.port, "");
  const int reader = c.open(s.port, kGet);
  EXPECT_TRUE(closed_by_peer(half, 20s)) << "header timeout";
  EXPECT_TRUE(closed_by_peer(silent, 20s)) << "header timeout from accept";
  // The answer never read: the write timeout ends it before its last byte.
  std::this_thread::sleep_for(1s);
  const std::string got = receive_all(reader, 5s);
  EXPECT_LT(got.size(), body->size());
  EXPECT_EQ(s.sent, 0);

  Stage small(l);
  const int idle = c.open(small.port, kGet);
  ASSERT_TRUE(small.whole(receive_answers(idle, 1, 2)));
  EXPECT_TRUE(closed_by_peer(idle, 20s)) << "idle timeout";
  EXPECT_EQ(small.sent, 1);
}

TEST(WebStage, AFullTableClosesTheConnectionThatWaitedLongest) {
  StageLimits l = one_worker();
  l.max_connections = 3;
  Stage s(l);
  Sockets c;
  const int oldest = c.open(s.port, kHalf);
  const int younger = c.open(s.port, kHalf);
  const int idle = c.open(s.port, kGet);  // accepted after the two: its answer says they are in
  ASSERT_TRUE(s.whole(receive_answers(idle, 1, 2)));
  EXPECT_TRUE(s.whole(s.get())) << "a fourth connection is served";
  EXPECT_TRUE(closed_by_peer(oldest, 20s));
  EXPECT_FALSE(closed_by_peer(younger, 200ms));
}

TEST(WebStage, AFullTableOfConnectionsBeingServedRefusesANewcomer) {
  StageLimits l = one_worker();
  l.max_connections = 1;
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;
  Stage s(l, std::make_shared<std::string>("ok"), [&](std::string_view) {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return release; });
  });
  Sockets c;
  const int busy = c.open(s.port, kGet);
  while (s.served == 0) std::this_thread::sleep_for(1ms);
  const int refused = c.open(s.port, kGet);
  EXPECT_TRUE(closed_by_peer(refused, 20s)) << "nothing to close for it";
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  EXPECT_TRUE(s.whole(receive_answers(busy, 1, 2))) << "the request being served is answered";
  std::this_thread::sleep_for(200ms);  // past the 100 ms pause
  EXPECT_TRUE(s.whole(s.get())) << "the kept connection, idle now, makes room";
  EXPECT_TRUE(closed_by_peer(busy, 20s));
}

TEST(WebStage, StopClosesWaitingConnectionsAndFinishesAnswers) {
  Stage s(one_worker(), std::make_shared<std::string>("ok"),
          [](std::string_view) { std::this_thread::sleep_for(300ms); });
  Sockets c;
  const int half = c.open(s.port, kHalf);
  const int busy = c.open(s.port, kGet);
  while (s.served == 0) std::this_thread::sleep_for(1ms);
  s.stage().stop();
  EXPECT_TRUE(s.whole(receive_answers(busy, 1, 2)));
  EXPECT_TRUE(closed_by_peer(half, 1s));
  EXPECT_TRUE(closed_by_peer(busy, 1s)) << "no further request after stop";
  EXPECT_LT(connect_loopback(s.port), 0) << "no longer listening";
}

TEST(WebStage, UnderABacklogTheNewestAndTheOldestAreServedInTurn) {
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;
  std::vector<std::string> order;
  Stage s(one_worker(), std::make_shared<std::string>("ok"), [&](std::string_view head) {
    std::unique_lock lock(mu);
    order.emplace_back(head.substr(4, head.find(' ', 4) - 4));
    cv.wait(lock, [&] { return release; });
  });
  Sockets c;
  c.open(s.port, "GET /first HTTP/1.1\r\n\r\n");
  while (s.served == 0) std::this_thread::sleep_for(1ms);
  for (int i = 0; i < 5; ++i) {
    c.open(s.port, "GET /q" + std::to_string(i) + " HTTP/1.1\r\n\r\n");
    std::this_thread::sleep_for(20ms);  // queued in this order
  }
  c.open(s.port, "GET /late HTTP/1.1\r\n\r\n");
  std::this_thread::sleep_for(200ms);  // all in the queue; a wrong order would not be fixed by waiting
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  for (int fd : c.fds) EXPECT_TRUE(s.whole(receive_answers(fd, 1, 2)));
  std::lock_guard lock(mu);
  const std::vector<std::string> expected{"/first", "/late", "/q0", "/q4", "/q1", "/q3", "/q2"};
  EXPECT_EQ(order, expected) << "six waiting for one worker: the newest (a scrape just sent), then "
                                "the oldest (none starves), in turn until the backlog is gone";
}

// Every descriptor of the process in use, for the length of a test: the limit
// lowered to what is open, and any gap filled.
class Exhausted {
 public:
  Exhausted() {
    getrlimit(RLIMIT_NOFILE, &saved_);
    rlimit low = saved_;
    low.rlim_cur = open_descriptors() + 4;
    setrlimit(RLIMIT_NOFILE, &low);
    for (int fd; (fd = ::open("/dev/null", O_RDONLY)) >= 0;) fillers_.push_back(fd);
  }
  ~Exhausted() {
    release();
    setrlimit(RLIMIT_NOFILE, &saved_);
  }
  void release() {
    for (int fd : fillers_) ::close(fd);
    fillers_.clear();
  }

 private:
  static rlim_t open_descriptors() {
    rlim_t n = 0;
    if (DIR* d = opendir("/proc/self/fd")) {
      while (readdir(d)) ++n;
      closedir(d);
    }
    return n;
  }
  rlimit saved_{};
  std::vector<int> fillers_;
};

// CPU seconds the stage's thread has used; its stat file is opened beforehand,
// since no descriptor is to be had later. POSIX reads, no streams: UBSan's vptr
// check trips over an ifstream constructed here.
class StageCpu {
 public:
  StageCpu() {
    if (DIR* d = opendir("/proc/self/task")) {
      while (dirent* e = readdir(d)) {
        const std::string dir = std::string("/proc/self/task/") + e->d_name;
        char name[32] = {};
        const int fd = ::open((dir + "/comm").c_str(), O_RDONLY);
        if (fd < 0) continue;
        const ssize_t n = ::read(fd, name, sizeof name - 1);
        ::close(fd);
        if (n > 0 && std::string_view(name, static_cast<size_t>(n)) == "web-stage\n")
          fd_ = ::open((dir + "/stat").c_str(), O_RDONLY);
      }
      closedir(d);
    }
  }
  ~StageCpu() {
    if (fd_ >= 0) ::close(fd_);
  }
  double seconds() const {
    char buf[1024] = {};
    if (fd_ < 0 || ::pread(fd_, buf, sizeof buf - 1, 0) <= 0) return -1;
    // utime and stime are fields 14 and 15; the name before them may hold spaces.
    const char* rest = std::strchr(buf, ')');
    unsigned long utime = 0, stime = 0;
    if (!rest || std::sscanf(rest + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) != 2)
      return -1;
    return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
  }

 private:
  int fd_ = -1;
};

TEST(WebStage, OutOfDescriptorsTheLongestWaitingConnectionMakesRoom) {
  Stage s(one_worker());
  Sockets c;
  const int oldest = c.open(s.port, kHalf);
  const int idle = c.open(s.port, kGet);
  ASSERT_TRUE(s.whole(receive_answers(idle, 1, 2)));
  const int late = ::socket(AF_INET, SOCK_STREAM, 0);
  c.fds.push_back(late);
  Exhausted none_left;
  ASSERT_TRUE(testing::connect_to(late, s.port));
  send_all(late, kGet);
  EXPECT_TRUE(s.whole(receive_answers(late, 1, 2)));
  EXPECT_TRUE(closed_by_peer(oldest, 20s));
  send_all(idle, kGet);
  EXPECT_TRUE(s.whole(receive_answers(idle, 1, 2))) << "a connection being kept stays served";
}

std::mutex g_log_mu;
std::vector<std::string> g_log_lines;

TEST(WebStage, OutOfDescriptorsWithNothingToCloseAcceptingWaitsWithoutSpinning) {
  log::set_sink([](const std::string& line) {
    std::lock_guard lock(g_log_mu);
    g_log_lines.push_back(line);
  });
  Stage s(one_worker(), std::make_shared<std::string>("ok"),
          [](std::string_view) { std::this_thread::sleep_for(1500ms); });
  const StageCpu cpu;
  Sockets c;
  const int busy = c.open(s.port, kGet);
  while (s.served == 0) std::this_thread::sleep_for(1ms);
  const int late = ::socket(AF_INET, SOCK_STREAM, 0);
  c.fds.push_back(late);
  {
    Exhausted none_left;
    ASSERT_TRUE(testing::connect_to(late, s.port));
    send_all(late, kGet);
    // The only connection is at the worker: nothing may be closed for the new one.
    const double before = cpu.seconds();
    std::this_thread::sleep_for(1s);
    const double used = cpu.seconds() - before;
    EXPECT_GE(before, 0);
    EXPECT_LT(used, 0.5) << "a stage retrying accept in a loop burns a whole core";
    EXPECT_TRUE(s.whole(receive_answers(busy, 1, 2))) << "the request already accepted is answered";
  }
  EXPECT_TRUE(s.whole(receive_answers(late, 1, 2))) << "accepted once a descriptor is free again";
  log::set_sink(nullptr);
  std::lock_guard lock(g_log_mu);
  ASSERT_FALSE(g_log_lines.empty());
  const std::string& line = g_log_lines.front();
  EXPECT_NE(line.find("cannot accept connections; trying again shortly"), std::string::npos) << line;
  EXPECT_NE(line.find("Too many open files"), std::string::npos) << line;
}

}  // namespace
}  // namespace coinw::web
