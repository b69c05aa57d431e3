// vicc-smdpp: an SGP.22 SM-DP+ (ES9+ over HTTPS) for tests and demos (doc/smdpp.md). Command line
// only: options, credentials, profile directory, then the server until SIGINT/SIGTERM.
#include "config.h"

#include <signal.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "common/log.hpp"
#include "common/secret_args.hpp"
#include "smdpp/http_server.hpp"
#include "smdpp/smdp.hpp"
#include "vicc/euicc/default_pki.hpp"
#include "vicc/euicc/saip/saip.hpp"

namespace vpcsc::smdpp {

namespace {

constexpr int kExitUsage = 2;
constexpr int kExitFailure = 1;

log::Level levelFor(int verbosity) {
    static const log::Level levels[] = {log::Level::Info, log::Level::Debug, log::Level::Comm};
    return levels[std::clamp(verbosity, 0, 2)];
}

}  // namespace

int smdppMain(int argc, char** argv) {
    CLI::App app{"vicc-smdpp: an SGP.22 SM-DP+ (ES9+ over HTTPS) serving test profiles"};
    ServerOptions server;
    SmdpConfig config;
    std::string address, pki, profiles, cc, ccFile;
    std::string curve = "nist";
    int verbosity = 0;
    unsigned ttlSeconds = 600;
    bool plain = false, noPpk = false;
    app.add_option("-H,--host", server.host, "address to listen on")->capture_default_str();
    app.add_option("-p,--port", server.port, "TCP port (0: any free port)")->capture_default_str()->check(CLI::Range(0, 65535));
    app.add_option("--address", address,
                   "this SM-DP+'s address: what smdpAddress must equal and where notifications go (default HOST:PORT)");
    app.add_flag("--http", plain, "plain HTTP instead of HTTPS (only behind a TLS-terminating proxy)");
    app.add_option("--pki", pki, "PKI directory (ci.der, dpauth/dppb.{der,key}, dptls.{pem,key}, ci.pem; "
                                 "default: the shared test PKI of --curve, doc/smdpp.md)");
    app.add_option("--curve", curve, "curve of the default PKI's DPauth/DPpb")->check(CLI::IsMember({"nist", "brp"}))->capture_default_str();
    app.add_option("-d,--profiles", profiles, "directory of UPPs named <matchingId>.der (DEMO is built in)");
    auto* ccOpt = app.add_option("--confirmation-code", cc, "require this Confirmation Code for every download (hidden from ps once parsed)");
    app.add_option("--confirmation-code-file", ccFile, "the same, read from the first line of FILE")->excludes(ccOpt);
    app.add_option("--session-ttl", ttlSeconds, "seconds an RSP session lives")->capture_default_str()->check(CLI::Range(1u, 86400u));
    app.add_option("--threads", server.threads, "worker threads = concurrent connections")->capture_default_str()->check(CLI::Range(1, 256));
    unsigned requestSeconds = static_cast<unsigned>(server.requestTimeout.count());
    app.add_option("--request-timeout", requestSeconds, "seconds a connection has to send each whole request")
        ->capture_default_str()->check(CLI::Range(1u, 3600u));
    app.add_option("--host-id", config.hostId, "hostId of InitialiseSecureChannel (1-16 bytes)")->capture_default_str();
    app.add_flag("--no-ppk", noPpk, "no ReplaceSessionKeys: protect the profile with the session keys");
    app.add_flag("-v,--verbose", verbosity, "more log output (repeat)");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : kExitUsage;
    }
    hideSecretArguments(argc, argv, {"--confirmation-code"});  // out of ps and /proc/PID/cmdline
    log::setLevel(levelFor(verbosity));
    server.tls = !plain;
    server.requestTimeout = std::chrono::seconds(requestSeconds);
    config.address = address.empty() ? server.host + ":" + std::to_string(server.port) : address;
    config.sessionTtl = std::chrono::seconds(ttlSeconds);
    config.replaceSessionKeys = !noPpk;
    if (!ccFile.empty()) {
        std::ifstream in(ccFile);
        if (!in || !std::getline(in, cc) || cc.empty()) {
            std::fprintf(stderr, "vicc-smdpp: cannot read a confirmation code from %s\n", ccFile.c_str());
            return kExitFailure;
        }
    }
    if (!cc.empty()) config.confirmationCode = cc;
    try {
        if (pki.empty()) pki = euicc::defaultPkiDirectory(curve);
        Credentials cred = Credentials::fromDirectory(pki);
        ProfileDirectory dir(profiles);
        // DEMO (when the directory has no DEMO.der): built once, served to every session.
        try {
            dir.setDemoSource([demo = euicc::saip::demoProfile()] { return demo; });
        } catch (const std::exception& e) {
            LOG_WARNING("vicc-smdpp: no built-in DEMO profile: %s", e.what());
        }
        Smdp smdp(config, std::move(cred), std::move(dir));

        // SIGINT/SIGTERM are waited for by one thread, which stops the server.
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &set, nullptr);
        ::signal(SIGPIPE, SIG_IGN);

        Es9Server es9(smdp, server);
        const int port = es9.bind();
        if (address.empty() && server.port == 0) smdp.setAddress(server.host + ":" + std::to_string(port));
        LOG_INFO("vicc-smdpp: %s on %s:%d, address %s, PKI %s, profiles %s%s", server.tls ? "HTTPS" : "plain HTTP",
                 server.host.c_str(), port, smdp.config().address.c_str(), pki.c_str(),
                 profiles.empty() ? "(built-in DEMO only)" : profiles.c_str(), config.confirmationCode ? ", confirmation code required" : "");
        std::thread waiter([&es9, set] {
            int sig = 0;
            sigwait(&set, &sig);
            es9.stop();
        });
        const bool ok = es9.run();
        if (!ok) LOG_ERROR("vicc-smdpp: the server stopped with an error");
        pthread_kill(waiter.native_handle(), SIGTERM);  // wake the waiter if the server ended by itself
        waiter.join();
        return ok ? 0 : kExitFailure;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "vicc-smdpp: %s\n", e.what());
        return kExitFailure;
    }
}

}  // namespace vpcsc::smdpp

int main(int argc, char** argv) { return vpcsc::smdpp::smdppMain(argc, argv); }
