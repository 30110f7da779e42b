// The scheduler's rules, with scripted passes: what goes first, what may not
// start, what retries when. Budgets are counted in requests, time is virtual.
#include "collect/scheduler.h"

#include <gtest/gtest.h>

#include "support/fake_clock.h"
#include "support/fake_coinw.h"

namespace coinw::collect {
namespace {

using namespace std::chrono_literals;

// A pass of `pages` requests, due again `due_after` its completion; it declares
// `interval` for the rule that nothing starts unwatched.
class ScriptedPass final : public Pass {
 public:
  ScriptedPass(std::string name, Priority priority, int pages, Duration due_after, Duration interval,
               std::vector<std::string>& log, int& budget)
      : Pass(std::move(name), "usdt"),
        priority_(priority),
        pages_(pages),
        due_after_(due_after),
        interval_(interval),
        log_(log),
        budget_(budget) {}

  std::optional<Want> wants(const Now& now) const override {
    if (page_ > 0) return Want{priority_, false};
    if (done_ && now.steady - *done_ < due_after_) return std::nullopt;
    return Want{priority_, true};
  }
  Duration interval() const override { return interval_; }
  Step step(api::Client&, TimePoint, Clock& clock) override {
    Step s;
    if (budget_ <= 0) {
      s.error = api::ApiError{api::FailureReason::timeout, "out of budget", "", 0, {}};
      s.error->sent = false;
      return s;
    }
    --budget_;
    clock.sleep_until(clock.now() + 10ms);
    log_.push_back(name());
    if (fail_next_) {
      fail_next_ = false;
      s.error = api::ApiError{api::FailureReason::server_error, "500", "", 500, {}};
      return s;
    }
    s.at = Now{clock.now(), clock.wall_now()};
    if (++page_ < pages_) return s;
    page_ = 0;
    done_ = s.at.steady;
    s.completed = true;
    return s;
  }
  void fail_next() { fail_next_ = true; }

 private:
  const Priority priority_;
  const int pages_;
  const Duration due_after_, interval_;
  std::vector<std::string>& log_;
  int& budget_;
  int page_ = 0;
  std::optional<TimePoint> done_;
  bool fail_next_ = false;
};

class SchedulerTest : public ::testing::Test {
 protected:
  ScriptedPass& add(std::string name, Priority p, int pages, Duration due_after = 1h, Duration interval = 1h) {
    passes_.push_back(std::make_unique<ScriptedPass>(std::move(name), p, pages, due_after, interval, log_, budget_));
    return *passes_.back();
  }
  Scheduler make() {
    std::vector<Scheduler::Entry> entries;
    for (auto& p : passes_) entries.push_back({p.get(), 0});
    return Scheduler(std::move(entries));
  }
  // One run with a budget of `requests`, the last scrape `ago`.
  Scheduler::Outcome run(Scheduler& s, int requests, Duration ago = 0s) {
    budget_ = requests;
    const Scheduler::Hooks hooks{[](size_t, bool, const Now&) {}, [](size_t, const api::ApiError&) {}};
    return s.run(
        client_, clock_, [&] { return clock_.now() + 1h; }, hooks, clock_.now() - ago);
  }
  size_t count(const std::string& name) const {
    return static_cast<size_t>(std::count(log_.begin(), log_.end(), name));
  }

  testing::FakeClock clock_;
  ratelimit::RateGate gate_{clock_};
  testing::FakeCoinw coinw_{clock_, 0, 0};
  std::unique_ptr<api::Transport> transport_ = coinw_.transport();
  api::Client client_{{"k", "s"}, *transport_, gate_, {}};
  std::vector<std::unique_ptr<ScriptedPass>> passes_;
  std::vector<std::string> log_;
  int budget_ = 0;
};

TEST_F(SchedulerTest, TheMostUrgentKindGoesFirst) {
  add("closed", Priority::closed_window, 2);
  add("open", Priority::open_window, 2);
  add("cumulative", Priority::cumulative, 2);
  add("watch", Priority::watch, 1);
  auto s = make();
  const auto o = run(s, 100);
  EXPECT_FALSE(o.more);
  EXPECT_EQ(log_, (std::vector<std::string>{"watch", "cumulative", "cumulative", "open", "open", "closed", "closed"}));
}

TEST_F(SchedulerTest, PassesOfOneKindTakeTurnsSoAShortBudgetStarvesNoQuote) {
  add("usdt", Priority::cumulative, 4);
  add("usdc", Priority::cumulative, 4);
  auto s = make();
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(run(s, 1).more);
  EXPECT_EQ(count("usdt"), 2u);
  EXPECT_EQ(count("usdc"), 2u);
}

// Without the rule, a cumulative list due again the moment it completes would
// take every run's budget, since it always has priority over windows.
TEST_F(SchedulerTest, ACumulativePassWaitsForAWindowThatWaitedBeforeItsLastCompletion) {
  add("cumulative", Priority::cumulative, 3, 0s);
  add("month", Priority::open_window, 3);
  auto s = make();
  for (int i = 0; i < 4; ++i) run(s, 3);
  EXPECT_EQ(count("month"), 3u) << "the window got its pass";
  EXPECT_GE(count("cumulative"), 6u) << "and the cumulative list still completes passes";
}

// When the list's walk is shorter than its interval, a window walks in the gap
// and yields when the list is due again, so the list keeps its interval.
TEST_F(SchedulerTest, AWindowWalksInTheGapsOfTheCumulativeListWithoutDelayingIt) {
  add("cumulative", Priority::cumulative, 2, 60ms);  // two requests of 10 ms, due 60 ms after its start
  add("month", Priority::open_window, 10);
  auto s = make();
  run(s, 5);
  EXPECT_EQ(log_, (std::vector<std::string>{"cumulative", "cumulative", "month", "month", "month"}));
  clock_.advance(40ms);  // the list is due again: it goes before the rest of the window
  run(s, 3);
  EXPECT_EQ(log_[5], "cumulative");
  EXPECT_EQ(log_[6], "cumulative");
  EXPECT_EQ(log_[7], "month") << "and the window resumes where it was";
}

// Turns are kept per kind: serving a more urgent pass in between does not
// hand the next turn to whichever window comes first in the list.
TEST_F(SchedulerTest, WindowsTakeTurnsWhileAMoreUrgentPassKeepsGettingServed) {
  add("watch", Priority::watch, 1, 10ms);  // due again by the next run: served before each window
  add("today", Priority::open_window, 1, 0s);
  add("month", Priority::open_window, 1, 0s);
  add("week", Priority::open_window, 1, 0s);
  auto s = make();
  for (int i = 0; i < 6; ++i) run(s, 2);
  EXPECT_GE(count("today"), 2u);
  EXPECT_EQ(count("month"), count("today"));
  EXPECT_EQ(count("week"), count("today"));
}

// An open window due again the moment it completes would take every request
// from a closed window that waits, as the cumulative list would from windows.
TEST_F(SchedulerTest, AnOverloadedOpenWindowDoesNotStarveAClosedOne) {
  add("today", Priority::open_window, 3, 0s);
  add("previous_month", Priority::closed_window, 3);
  auto s = make();
  for (int i = 0; i < 4; ++i) run(s, 3);
  EXPECT_EQ(count("previous_month"), 3u);
}

TEST_F(SchedulerTest, NoPassStartsOnceTheLastScrapeIsOlderThanItsInterval) {
  add("list", Priority::cumulative, 3, 1min, 1min);
  auto s = make();
  run(s, 100, 2min);
  EXPECT_TRUE(log_.empty()) << "nobody watches: nothing starts";
  run(s, 100, 30s);
  EXPECT_EQ(count("list"), 3u);
}

TEST_F(SchedulerTest, APassInProgressFinishesWhenNobodyWatchesAnyMore) {
  add("list", Priority::cumulative, 4, 1min, 1min);
  auto s = make();
  run(s, 2, 10s);
  ASSERT_EQ(count("list"), 2u);
  run(s, 100, 1h);
  EXPECT_EQ(count("list"), 4u) << "the pass started while watched goes on";
  run(s, 100, 1h);
  EXPECT_EQ(count("list"), 4u) << "but no new one starts";
}

TEST_F(SchedulerTest, AFailedPassTriesAgainOnlyAfterANewScrape) {
  auto& list = add("list", Priority::cumulative, 2);
  auto s = make();
  list.fail_next();
  auto o = run(s, 100);
  EXPECT_TRUE(o.work[0].failed);
  EXPECT_EQ(count("list"), 1u);
  run(s, 100);
  EXPECT_EQ(count("list"), 1u) << "no retry within the same scrape's refresh";
  s.new_scrape();
  o = run(s, 100);
  EXPECT_FALSE(o.work[0].failed);
  EXPECT_EQ(count("list"), 3u);
}

TEST_F(SchedulerTest, ANewScrapeEndsARunBetweenTwoRequests) {
  add("list", Priority::cumulative, 5, 1min, 1min);
  auto s = make();
  budget_ = 100;
  int asked = 0;
  const Scheduler::Hooks hooks{[](size_t, bool, const Now&) {}, [](size_t, const api::ApiError&) {}};
  // The run decides with the scrape time it was given: a newer scrape ends it,
  // so the next run starts from that one.
  const auto o = s.run(
      client_, clock_, [&] { return clock_.now() + 1h; }, hooks, clock_.now(), [&] { return ++asked > 2; });
  EXPECT_TRUE(o.more);
  EXPECT_EQ(count("list"), 2u);
  run(s, 100);
  EXPECT_EQ(count("list"), 5u) << "the walk goes on where it stopped";
}

TEST_F(SchedulerTest, APassDueAgainAtOnceRunsOncePerRun) {
  add("list", Priority::cumulative, 2, 0s);
  auto s = make();
  EXPECT_FALSE(run(s, 100).more);
  EXPECT_EQ(count("list"), 2u);
}

TEST_F(SchedulerTest, ALaneStaysAwakeForItsLongestInterval) {
  add("a", Priority::cumulative, 1, 1h, 1min);
  add("b", Priority::open_window, 1, 1h, 5min);
  EXPECT_EQ(make().watch_window(), 5min);
}

TEST_F(SchedulerTest, AScrapeMayStartWhatIsDueOnceWhateverTheInterval) {
  add("list", Priority::list, 1, 0s, 0s);
  auto s = make();
  run(s, 100, 500ms);
  EXPECT_EQ(count("list"), 1u);
  run(s, 100, 500ms);
  EXPECT_EQ(count("list"), 1u) << "once per scrape";
  s.new_scrape();
  run(s, 100);
  EXPECT_EQ(count("list"), 2u);
}

}  // namespace
}  // namespace coinw::collect
