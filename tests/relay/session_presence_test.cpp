// The session side of a card that can leave its reader (Card::present / absentFd, used by the
// relay): the vpcd connection is closed while the card is out and opened again when it is back;
// stop still works while it is out. And the onExchange / onAtr hooks that --pcap/--gsmtap use.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <mutex>
#include <thread>

#include "tests/vicc/fake_reader.hpp"
#include "tests/vicc/test_card.hpp"
#include "vicc/session.hpp"
#include "vicc/transports/vpcd_client.hpp"

using namespace vpcsc;
using namespace vpcsc::vicc;
using test::FakeReader;
using test::kTestAtr;

namespace {

class LeavingCard : public test::TestCard {
public:
    LeavingCard() : m_absent(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}
    ~LeavingCard() override { ::close(m_absent); }
    bool present() const override { return m_present; }
    int absentFd() const override { return m_absent; }
    void leave() {
        m_present = false;
        const std::uint64_t one = 1;
        (void)!::write(m_absent, &one, sizeof one);
    }
    void comeBack() {
        std::uint64_t v;
        (void)!::read(m_absent, &v, sizeof v);
        m_present = true;
    }

private:
    std::atomic<bool> m_present{true};
    int m_absent;
};

// As vicc/main.cpp does: the transport watches the stop eventfd and the card's absentFd.
int combine(int a, int b) {
    const int ep = ::epoll_create1(EPOLL_CLOEXEC);
    for (int fd : {a, b}) {
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.fd = fd;
        ::epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    }
    return ep;
}

}  // namespace

TEST_CASE("a card that leaves: connection closed, reopened when it is back, hooks see every exchange", "[session][relay]") {
    FakeReader reader;
    REQUIRE(reader.listen());
    LeavingCard card;
    const int stop = ::eventfd(0, EFD_CLOEXEC);
    const int wake = combine(stop, card.absentFd());
    VpcdClient transport("127.0.0.1", std::to_string(reader.port()), wake);
    std::mutex mutex;
    std::vector<Bytes> exchanges, atrs;
    SessionConfig config;
    config.typeName = "test";
    config.stopFd = stop;
    config.backoffMinMs = 10;
    config.backoffMaxMs = 40;
    config.onExchange = [&](ByteView c, ByteView r) {
        std::lock_guard lock(mutex);
        Bytes e(c.begin(), c.end());
        append(e, r);
        exchanges.push_back(e);
    };
    config.onAtr = [&](ByteView a) {
        std::lock_guard lock(mutex);
        atrs.emplace_back(a.begin(), a.end());
    };
    Session session(card, transport, std::move(config));
    std::thread runner([&] { session.run(); });

    REQUIRE(reader.accept());
    CHECK(reader.powerOnAndGetAtr() == kTestAtr);
    CHECK(reader.transmit(fromHex("00 D6 00 00 01 AA")) == fromHex("90 00"));

    card.leave();
    CHECK(reader.waitClosed(2000));
    CHECK_FALSE(reader.accept(300));  // no reconnect while the card is out

    card.comeBack();
    REQUIRE(reader.accept(2000));
    CHECK(reader.powerOnAndGetAtr() == kTestAtr);
    CHECK(reader.transmit(fromHex("00 B0 00 00 00")) == fromHex("AA 90 00"));

    card.leave();
    CHECK(reader.waitClosed(2000));
    const std::uint64_t one = 1;
    (void)!::write(stop, &one, sizeof one);  // stop while the card is out
    runner.join();
    ::close(wake);
    ::close(stop);

    std::lock_guard lock(mutex);
    CHECK(exchanges == std::vector<Bytes>{fromHex("00 D6 00 00 01 AA 90 00"), fromHex("00 B0 00 00 00 AA 90 00")});
    CHECK(atrs == std::vector<Bytes>{kTestAtr, kTestAtr});
}
