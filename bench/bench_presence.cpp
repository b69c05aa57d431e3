// presence mode: how long after a card process starts (or is killed) SCardGetStatusChange
// reports the card present (or the slot empty). A random phase before each step keeps the
// measurement from locking onto a polling period.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <random>
#include <string>
#include <thread>

#include "bench/modes.hpp"
#include "bench/pcsc_client.hpp"
#include "bench/stats.hpp"

namespace vpcsc::bench {

namespace {

pid_t spawn(char** cmd) {
    const pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        execvp(cmd[0], cmd);
        std::perror(cmd[0]);
        _exit(127);
    }
    if (pid < 0) throw std::runtime_error("fork failed");
    return pid;
}

void stop(pid_t pid) {
    kill(-pid, SIGTERM);
    kill(pid, SIGTERM);
    waitpid(pid, nullptr, 0);
}

void summary(const std::string& label, const char* what, const std::vector<double>& ms, int cycles) {
    std::printf("%s %s n=%zu/%d median_ms=%.1f min_ms=%.1f max_ms=%.1f\n", label.c_str(), what, ms.size(), cycles,
                percentile(ms, 50), percentile(ms, 0), percentile(ms, 100));
}

}  // namespace

int presenceMode(int argc, char** argv) {
    std::string spec = "0", label = "presence";
    int cycles = 9, maxPhaseMs = 500;
    int c;
    while ((c = getopt(argc, argv, "r:c:p:l:")) != -1) {
        switch (c) {
            case 'r': spec = optarg; break;
            case 'c': cycles = std::stoi(optarg); break;
            case 'p': maxPhaseMs = std::stoi(optarg); break;
            case 'l': label = optarg; break;
            default: return 2;
        }
    }
    if (optind >= argc || cycles < 1 || maxPhaseMs < 0) {
        std::fprintf(stderr, "presence: the card command goes after --\n");
        return 2;
    }
    char** cmd = argv + optind;
    Context ctx;
    const std::string reader = ctx.resolve(spec);
    const auto timeout = std::chrono::milliseconds(5000);
    if (!ctx.waitPresence(reader, Presence::Empty, timeout).time_since_epoch().count())
        throw std::runtime_error("slot not empty before the first cycle");

    std::mt19937 rng(std::random_device{}());
    std::uniform_int_distribution<int> phase(0, maxPhaseMs);
    std::vector<double> insert, removal;
    const auto ms = [](Clock::time_point from, Clock::time_point to) {
        return std::chrono::duration<double, std::milli>(to - from).count();
    };
    for (int i = 0; i < cycles; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(phase(rng)));
        auto t0 = Clock::now();
        const pid_t pid = spawn(cmd);
        auto seen = ctx.waitPresence(reader, Presence::Present, timeout);
        const double in = seen.time_since_epoch().count() ? ms(t0, seen) : -1;  // -1: never seen
        if (in >= 0) insert.push_back(in);
        std::this_thread::sleep_for(std::chrono::milliseconds(phase(rng)));
        t0 = Clock::now();
        stop(pid);
        seen = ctx.waitPresence(reader, Presence::Empty, timeout);
        if (!seen.time_since_epoch().count()) throw std::runtime_error("slot did not empty within 5 s");
        removal.push_back(ms(t0, seen));
        std::printf("%s cycle insert_ms=%.1f remove_ms=%.1f\n", label.c_str(), in, removal.back());
    }
    summary(label, "insert", insert, cycles);
    summary(label, "remove", removal, cycles);
    return insert.size() == static_cast<std::size_t>(cycles) ? 0 : 1;
}

}  // namespace vpcsc::bench
