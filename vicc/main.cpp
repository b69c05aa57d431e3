// vicc: a virtual smart card for pcsc-lite's vpcd driver. Command line only: the options are
// vsmartcard vicc's letters where it has them (-t -H -P -R -v -f --reader --mitm), then the card
// (vicc/card_registry.hpp), its image (vicc/image.hpp), a transport and the session loop.
//
// Card type: -t wins; without -t, an existing image's "type" is used, else iso7816. An image
// of another type than -t is refused rather than silently overwritten.
#include "config.h"

#include <signal.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <cstdio>
#include <iostream>
#include <memory>

#include "common/log.hpp"
#include "common/secret_args.hpp"
#include "common/vpcd_protocol.hpp"
#include "vicc/card_options.hpp"
#include "vicc/card_registry.hpp"
#include "vicc/image.hpp"
#include "vicc/session.hpp"
#include "vicc/trace/gsmtap_trace.hpp"
#include "vicc/transports/vpcd_client.hpp"
#include "vicc/transports/vpcd_reversed.hpp"
#include "vicc/transports/cardem.hpp"

namespace vpcsc::vicc {

// The program with a given card type table; main() passes cardTypes(), a test program more.
int viccMain(int argc, char** argv, std::span<const CardType> types);

namespace {

constexpr int kExitUsage = 2;    // bad command line (as getopt-style tools do)
constexpr int kExitFailure = 1;  // bad image, cannot start

struct Options {
    std::string type = "iso7816";
    std::string host = "127.0.0.1";
    int port = vpcd::kDefaultPort;
    bool reversed = false;
    std::string bind = "127.0.0.1";
    std::string file;
    std::string atrHex;
    int verbosity = 0;
    bool trace = false;
    bool listTypes = false;
    std::string pcap, gsmtap;  // --pcap FILE, --gsmtap [HOST[:PORT]]
    std::string transport;  // --transport cardem:READER
    CardOptions card;
};

log::Level levelFor(int verbosity) {
    static const log::Level levels[] = {log::Level::Error, log::Level::Warning, log::Level::Info,
                                        log::Level::Debug, log::Level::Comm};
    return levels[std::clamp(verbosity, 0, 4)];
}

// SIGINT/SIGTERM become readable on a signalfd, which every blocking call of the session polls:
// no handler, no global flag. SIGPIPE is ignored (sockets use MSG_NOSIGNAL; this covers stderr).
int stopSignalFd() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigprocmask(SIG_BLOCK, &set, nullptr);
    ::signal(SIGPIPE, SIG_IGN);
    return ::signalfd(-1, &set, SFD_CLOEXEC);
}

void printTypes(std::span<const CardType> types) {
    if (types.empty()) std::printf("(no card types built in)\n");
    for (const CardType& t : types)
        std::printf("%-12.*s %.*s\n", static_cast<int>(t.name.size()), t.name.data(),
                    static_cast<int>(t.description.size()), t.description.data());
}

// What the transport watches: the stop signal, and the card's absentFd() when it has one (an
// epoll set is readable while any member is), so that a card leaving wakes a blocked read.
int wakeDescriptor(int stopFd, int absentFd) {
    if (absentFd < 0) return stopFd;
    const int ep = ::epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) return stopFd;
    for (int fd : {stopFd, absentFd}) {
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.fd = fd;
        ::epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    }
    return ep;
}

int usageError(const CLI::App& app, const std::string& what) {
    std::fprintf(stderr, "vicc: %s\n\n%s", what.c_str(), app.help().c_str());
    return kExitUsage;
}

int fatal(const std::string& what) {
    std::fprintf(stderr, "vicc: %s\n", what.c_str());
    return kExitFailure;
}

}  // namespace

int viccMain(int argc, char** argv, std::span<const CardType> types) {
    Options o;
    CLI::App app{"vicc: a virtual smart card for pcsc-lite (vpcd protocol)", "vicc"};
    app.set_version_flag("--version", std::string("vicc (vpcsc) ") + PACKAGE_VERSION);
    auto* typeOpt = app.add_option("-t,--type", o.type, "card type (default iso7816; see --list-types)");
    app.add_flag("--list-types", o.listTypes, "list the card types and exit");
    app.add_option("-H,--hostname", o.host, "host of the vpcd reader to connect to (default 127.0.0.1)");
    app.add_option("-P,--port", o.port, "vpcd port (default 35963; slot i of a reader is 35963+i)")
        ->check(CLI::Range(0, 65535));
    app.add_option("--transport", o.transport,
                   "cardem:READER: be the SIM of a phone through a SIMtrace2 card-emulation reader (ifd-simtrace)")
        ->check([](const std::string& t) { return t.rfind("cardem:", 0) == 0 && t.size() > 7 ? "" : "expected cardem:READER"; });
    app.add_flag("-R,--reversed", o.reversed, "listen and wait for the reader to connect (reversed vpcd)");
    app.add_option("--bind", o.bind, "address to listen on with --reversed (default 127.0.0.1)");
    app.add_option("-f,--file", o.file,
                   "card image (JSON): loaded if it exists, created otherwise, saved after every change and at exit");
    app.add_option("--atr", o.atrHex, "answer to reset to report instead of the card type's (hex)")
        ->check([](const std::string& text) -> std::string {
            try {
                const Bytes atr = fromHex(text);
                return atr.size() >= 2 && atr.size() <= 33 ? "" : "an ATR has 2 to 33 bytes";
            } catch (const ParseError& e) {
                return e.what();
            }
        });
    app.add_flag("-v,--verbose", o.verbosity, "more output: -v warnings, -vv info, -vvv debug, -vvvv APDU dumps");
    app.add_flag("--trace", o.trace, "print every command and response on stderr (PINs masked)");
    app.add_option("--reader", o.card.reader, "relay: the PC/SC reader to forward to");
    app.add_option("--mitm", o.card.mitm, "relay: man-in-the-middle hook: PLUGIN.so[,ARGS] or a rule file (doc/relay.md)");
    app.add_flag("--exclusive", o.card.exclusive, "relay: open the real card exclusively (default: shared)");
    app.add_flag("--auto-get-response", o.card.autoGetResponse,
                 "relay: collect 61xx with GET RESPONSE and repeat 6Cxx commands (default: left to the application)");
    app.add_option("--pki", o.card.pki, "euicc: PKI directory with ci.der, eum.der, euicc.der and euicc.key (default: "
                                        "$VPCSC_EUICC_PKI, else a test PKI generated once, doc/euicc.md)");
    app.add_option("--rat", o.card.rat, "euicc: Rules Authorisation Table: any (PPR1 and PPR2 allowed for every operator, "
                                        "with the user's consent) or none (profiles with PPR1/PPR2 refused)")
        ->check(CLI::IsMember({"any", "none"}));
    app.add_option("--pcap", o.pcap, "write every ATR and command/response to FILE as GSMTAP in pcap (Wireshark)");
    auto* gsmtapOpt = app.add_option("--gsmtap", o.gsmtap, "send every ATR and command/response live as GSMTAP over UDP "
                                                           "to HOST[:PORT] (default 127.0.0.1:4729)")
                          ->expected(0, 1);
    auto* simGroup = app.add_option_group("sim/usim personalisation", "written into the card (and its image) at start");
    simGroup->add_option("--imsi", o.card.imsi, "IMSI, 6-15 digits (EF.IMSI, EF.ACC)");
    simGroup->add_option("--iccid", o.card.iccid, "ICCID, 19 or 20 digits ending in the Luhn check digit");
    simGroup->add_option("--ki", o.card.ki, "subscriber key K/Ki, 32 hex digits");
    simGroup->add_option("--opc", o.card.opc, "MILENAGE OPc, 32 hex digits");
    simGroup->add_option("--op", o.card.op, "MILENAGE OP, 32 hex digits (OPc = OP xor E_K(OP))");
    simGroup->add_option("--msisdn", o.card.msisdn, "own number for EF.MSISDN, e.g. +491761234567");
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        return usageError(app, e.what());
    }
    hideSecretArguments(argc, argv, {"--ki", "--opc", "--op"});  // out of ps and /proc/PID/cmdline
    log::setLevel(levelFor(o.verbosity));
    if (o.listTypes) {
        printTypes(types);
        return 0;
    }
    if (!o.atrHex.empty()) o.card.atr = fromHex(o.atrHex);

    std::optional<nlohmann::json> image;
    if (!o.file.empty()) {
        try {
            image = loadImage(o.file);
        } catch (const ImageError& e) {
            return fatal(e.what());
        }
    }
    if (image) {
        const std::string imageTypeName = imageType(*image);
        if (typeOpt->count() == 0 && !imageTypeName.empty()) o.type = imageTypeName;
        if (!imageTypeName.empty() && imageTypeName != o.type)
            return fatal(o.file + " is an image of a " + imageTypeName + " card, not " + o.type +
                         " (drop -t to use it, or choose another file)");
        if (!o.card.atr) o.card.atr = imageAtr(*image);
    }
    const CardType* type = findCardType(types, o.type);
    if (!type) {
        std::fprintf(stderr, "vicc: unknown card type '%s' (vicc --list-types shows them)\n", o.type.c_str());
        return kExitUsage;
    }

    if (simGroup->count_all() > 0 && o.type != "sim" && o.type != "usim")
        return usageError(app, "--imsi, --iccid, --ki, --opc, --op and --msisdn are for the sim and usim card types");
    if (gsmtapOpt->count() > 0 && o.gsmtap.empty()) o.gsmtap = "127.0.0.1:" + std::to_string(gsmtap::kUdpPort);
    if (!o.reversed) {
        o.card.vpcdHost = o.host;
        o.card.vpcdPort = o.port;
    }
    std::unique_ptr<Card> card;
    try {
        card = type->create(o.card);
        if (image) card->loadState(*image);
    } catch (const std::exception& e) {
        return fatal((image ? o.file + ": " : std::string()) + "cannot set up the " + o.type + " card: " + e.what());
    }

    const int stopFd = stopSignalFd();
    if (stopFd < 0) return fatal(std::string("signalfd: ") + std::strerror(errno));
    const int wakeFd = wakeDescriptor(stopFd, card->absentFd());
    std::unique_ptr<Transport> transport;
    if (!o.transport.empty())
        transport = std::make_unique<CardemTransport>(o.transport.substr(7), wakeFd);
    else if (o.reversed)
        transport = std::make_unique<VpcdReversed>(o.bind, std::to_string(o.port), wakeFd);
    else
        transport = std::make_unique<VpcdClient>(o.host, std::to_string(o.port), wakeFd);

    SessionConfig config;
    config.typeName = o.type;
    if (!o.file.empty()) config.imagePath = o.file;
    config.atr = o.card.atr;
    config.stopFd = stopFd;
    std::unique_ptr<GsmtapTrace> gsmtapTrace;
    if (!o.pcap.empty() || !o.gsmtap.empty()) {
        try {
            gsmtapTrace = std::make_unique<GsmtapTrace>(o.pcap, o.gsmtap);
        } catch (const std::exception& e) {
            return fatal(std::string("trace: ") + e.what());
        }
        config.onExchange = [t = gsmtapTrace.get()](ByteView c, ByteView r) { t->exchange(c, r); };
        config.onAtr = [t = gsmtapTrace.get()](ByteView a) { t->atr(a); };
        LOG_INFO("tracing to %s", gsmtapTrace->describe().c_str());
    }
    if (o.trace)
        config.trace = [](std::string_view line) {
            std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
        };
    Session session(*card, *transport, std::move(config));
    if (!image && !o.file.empty() && !session.save())  // create the image now, not at the first change
        return fatal("cannot create the card image " + o.file);
    LOG_INFO("%s card, %s %s", o.type.c_str(), o.reversed ? "waiting for a reader," : "reader",
             transport->describe().c_str());
    session.run();
    LOG_INFO("stopped");
    if (wakeFd != stopFd) ::close(wakeFd);
    ::close(stopFd);
    return 0;
}

}  // namespace vpcsc::vicc

#ifndef VICC_NO_MAIN
int main(int argc, char** argv) { return vpcsc::vicc::viccMain(argc, argv, vpcsc::vicc::cardTypes()); }
#endif
