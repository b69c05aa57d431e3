// vicc-lpa: a small SGP.22 LPA (doc/lpa.md). ES10 over PC/SC as lpac drives an eUICC, ES9+ over
// HTTPS with the server verified against a CA file. One JSON object per command on stdout, shaped
// as lpac's; diagnostics on stderr; exit 0 on success, 1 on failure, 2 on a bad command line.
#include "config.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/log.hpp"
#include "common/secret_args.hpp"
#include "lpa/activation_code.hpp"
#include "lpa/download.hpp"
#include "lpa/es10_channel.hpp"
#include "lpa/es10_client.hpp"
#include "lpa/es9_transport.hpp"
#include "lpa/notifications.hpp"
#include "lpa/output.hpp"
#include "lpa/pcsc_transport.hpp"
#include "vicc/euicc/default_pki.hpp"

namespace vpcsc::lpa {
namespace {

namespace es10 = euicc::es10;
using json = nlohmann::ordered_json;  // keys in lpac's order

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

struct Options {
    std::string reader;
    std::size_t mss = Es10Channel::kDefaultMss;
    std::string ca;
    bool insecure = false;
    int verbose = 0;
    // download
    std::string smdp, matchingId, confirmationCode, imei, activationCode;
    // profile
    std::string id, nickname;
    bool refresh = false;
    // notification
    std::vector<std::uint32_t> seqNumbers;
    bool remove = false;
};

// A failure the command reports as lpac does: a step name and its details.
struct CommandError : std::runtime_error {
    std::string step;
    json data;
    CommandError(std::string s, json d) : std::runtime_error("command failed"), step(std::move(s)), data(std::move(d)) {}
};

// The CAs that sign the SM-DP+'s TLS certificate: --ca, else the CIs of the default test PKI that
// vicc -t euicc and vicc-smdpp use (both curves; euicc::defaultPkiDirectory).
std::vector<std::string> defaultCas() {
    std::vector<std::string> files;
    for (const char* curve : {"nist", "brp"}) {
        try {
            const std::string f = euicc::defaultPkiDirectory(curve) + "/ci.pem";
            if (std::find(files.begin(), files.end(), f) == files.end() && std::filesystem::exists(f)) files.push_back(f);
        } catch (const std::exception& e) {
            LOG_WARNING("default test PKI (%s): %s", curve, e.what());
        }
    }
    return files;
}

std::unique_ptr<HttpsEs9Transport> https(const Options& o) {
    HttpsOptions h;
    h.insecure = o.insecure;
    if (!h.insecure) h.caFiles = o.ca.empty() ? defaultCas() : std::vector<std::string>{o.ca};
    if (!h.insecure && h.caFiles.empty())
        throw CommandError("es9p", "no CA to verify the SM-DP+ with: give --ca FILE (or --insecure, as lpac)");
    try {
        return std::make_unique<HttpsEs9Transport>(h);
    } catch (const std::invalid_argument& e) {
        throw CommandError("es9p", e.what());
    }
}

void checkResult(const char* step, std::int64_t r, const char* meaning2) {
    if (r == es10::result::kOk) return;
    static const char* names[] = {"ok", "iccidOrAidNotFound", nullptr, "disallowedByPolicy", "wrongProfileReenabling", "catBusy"};
    std::string name = r == 2 ? meaning2 : (r >= 0 && r <= 5 ? names[r] : r == 127 ? "undefinedError" : "unknown");
    throw CommandError(step, json{{"result", r}, {"reason", name}});
}

json chipInfo(Es10Client& c) {
    json d;
    d["eidValue"] = toHex(c.getEid(), 0);
    // As lpac: EID is mandatory, the rest may fail (reported as null).
    try {
        d["EuiccConfiguredAddresses"] = toJson(c.getConfiguredAddresses());
    } catch (const std::exception& e) {
        LOG_WARNING("GetEuiccConfiguredAddresses: %s", e.what());
        d["EuiccConfiguredAddresses"] = nullptr;
    }
    try {
        d["EUICCInfo2"] = toJson(c.getEuiccInfo2());
    } catch (const std::exception& e) {
        LOG_WARNING("GetEUICCInfo2: %s", e.what());
        d["EUICCInfo2"] = nullptr;
    }
    return d;
}

json profileList(Es10Client& c) {
    const es10::ProfileInfoListResponse r = c.getProfilesInfo();
    if (r.error) throw CommandError("es10c_get_profiles_info", json{{"result", *r.error}});
    json a = json::array();
    for (const auto& p : r.profiles) a.push_back(toJson(p));
    return a;
}

// Where to download from: -a's Activation Code, else -s/-m, else the eUICC's default SM-DP+
// address (GetEuiccConfiguredAddresses, SGP.22 §3.1.3 "Default SM-DP+ Address").
DownloadRequest downloadTarget(Es10Client& c, const Options& o) {
    DownloadRequest req;
    if (!o.activationCode.empty()) {
        ActivationCode ac;
        try {
            ac = parseActivationCode(o.activationCode);
        } catch (const std::invalid_argument& e) {
            throw CommandError("download", e.what());
        }
        if (ac.confirmationCodeRequired && o.confirmationCode.empty())
            throw CommandError("download", "the activation code requires a confirmation code (-c)");
        req.smdpAddress = ac.smdpAddress;
        if (!ac.matchingId.empty()) req.matchingId = ac.matchingId;  // an empty AC_Token: none sent
        req.smdpOid = ac.smdpOid;
    } else {
        req.smdpAddress = o.smdp;
        if (req.smdpAddress.empty()) {
            const auto a = c.getConfiguredAddresses();
            if (!a.defaultDpAddress || a.defaultDpAddress->empty())
                throw CommandError("es10a_get_euicc_configured_addresses", "no -s or -a, and the eUICC has no default SM-DP+ address");
            req.smdpAddress = *a.defaultDpAddress;
        }
        if (!o.matchingId.empty()) req.matchingId = o.matchingId;
    }
    if (!o.confirmationCode.empty()) req.confirmationCode = o.confirmationCode;
    return req;
}

json download(Es10Client& c, const Options& o) {
    DownloadRequest req = downloadTarget(c, o);
    if (!o.imei.empty()) {
        try {
            req.imei = imeiFromString(o.imei);
        } catch (const std::invalid_argument& e) {
            throw CommandError("download", e.what());
        }
    }
    auto http = https(o);
    Es9Client es9(*http, req.smdpAddress);
    try {
        const DownloadResult r = downloadProfile(c, es9, req);
        return {{"iccid", iccidToString(r.metadata.iccid)},
                {"isdpAid", toHex(r.result.data.success->isdpAid, 0, true)},
                {"seqNumber", r.result.data.notificationMetadata.seqNumber},
                {"profileName", r.metadata.profileName},
                {"serviceProviderName", r.metadata.serviceProviderName},
                {"transactionId", toHex(r.transactionId, 0)}};
    } catch (const DownloadError& e) {
        json d{{"detail", e.what()}, {"cancelled", e.cancelled}};
        if (e.es9) {
            d["subjectCode"] = e.es9->subjectCode;
            d["reasonCode"] = e.es9->reasonCode;
            if (e.es9->message) d["message"] = *e.es9->message;
        }
        if (e.es10Code) d["errorCode"] = *e.es10Code;
        if (e.installResult) {
            d["seqNumber"] = e.installResult->data.notificationMetadata.seqNumber;
            d["bppCommandId"] = bppCommandIdName(e.installResult->data.error->bppCommandId);
            d["errorReason"] = errorReasonName(e.installResult->data.error->errorReason);
        }
        throw CommandError(e.step, d);
    }
}

json notificationList(Es10Client& c) {
    const es10::ListNotificationResponse r = c.listNotification();
    if (r.error) throw CommandError("es10b_list_notification", json{{"result", *r.error}});
    json a = json::array();
    for (const auto& n : r.notifications) a.push_back(toJson(n));
    return a;
}

json notificationProcess(Es10Client& c, const Options& o) {
    auto http = https(o);
    json a = json::array();
    for (std::uint32_t seq : o.seqNumbers) {
        try {
            const ProcessedNotification p = processNotification(c, *http, seq, o.remove);
            a.push_back({{"seqNumber", p.seqNumber},
                         {"profileManagementOperation", eventName(p.events)},
                         {"notificationAddress", p.notificationAddress},
                         {"removed", p.removed}});
        } catch (const Es9FunctionError& e) {
            throw CommandError("es9p_handle_notification", json{{"seqNumber", seq}, {"detail", e.what()},
                                                                 {"subjectCode", e.status.subjectCode},
                                                                 {"reasonCode", e.status.reasonCode}});
        } catch (const CommandError&) {
            throw;
        } catch (const std::exception& e) {
            throw CommandError("notification_process", json{{"seqNumber", seq}, {"detail", e.what()}});
        }
    }
    return a;
}

json notificationRemove(Es10Client& c, const Options& o) {
    for (std::uint32_t seq : o.seqNumbers) checkResult("es10b_remove_notification_from_list", c.removeNotification(seq), "unknown");
    return nullptr;
}

int run(int argc, char** argv) {
    Options o;
    CLI::App app{"vicc-lpa: an SGP.22 LPA (ES10 over PC/SC, ES9+ over HTTPS); JSON results on stdout"};
    app.require_subcommand(1);
    app.add_option("-r,--reader", o.reader, "PC/SC reader: index or (part of) its name (default: the first)");
    app.add_option("--mss", o.mss, "STORE DATA block size, 6..255 (default 120, as lpac)")->check(CLI::Range(6, 255));
    app.add_option("--ca", o.ca, "PEM CA file that signs the SM-DP+'s TLS certificate (default: the CIs of the default test PKI)");
    app.add_flag("--insecure", o.insecure, "do not verify the SM-DP+'s TLS certificate (what lpac does)");
    app.add_flag("-v,--verbose", o.verbose, "more diagnostics on stderr (-vv: APDUs)");

    auto* chip = app.add_subcommand("chip-info", "EID, configured addresses, EUICCInfo2");
    auto* defaultSmdp = app.add_subcommand("default-smdp", "set the eUICC's default SM-DP+ address (SetDefaultDpAddress)");
    defaultSmdp->add_option("address", o.smdp, "host[:port]; \"\" removes it")->required();
    auto* profile = app.add_subcommand("profile", "list, enable, disable, delete, nickname");
    profile->require_subcommand(1);
    auto* pList = profile->add_subcommand("list", "installed profiles (GetProfilesInfo)");
    auto* pEnable = profile->add_subcommand("enable", "enable a profile (ICCID or ISD-P AID)");
    auto* pDisable = profile->add_subcommand("disable", "disable a profile (ICCID or ISD-P AID)");
    auto* pDelete = profile->add_subcommand("delete", "delete a profile (ICCID or ISD-P AID)");
    auto* pNick = profile->add_subcommand("nickname", "set a profile's nickname (ICCID)");
    for (auto* s : {pEnable, pDisable, pDelete, pNick}) s->add_option("id", o.id, "ICCID or ISD-P AID")->required();
    for (auto* s : {pEnable, pDisable}) s->add_flag("--refresh", o.refresh, "ask for a REFRESH (refreshFlag TRUE)");
    pNick->add_option("nickname", o.nickname, "the new nickname (empty clears it)")->required();

    auto* dl = app.add_subcommand("download", "download and install a profile from an SM-DP+");
    auto* smdp = dl->add_option("-s,--smdp", o.smdp,
                                "SM-DP+ address host[:port], sent verbatim as smdpAddress (default: the eUICC's default SM-DP+)");
    auto* mid = dl->add_option("-m,--matching-id", o.matchingId, "matchingId (activation code token)");
    dl->add_option("-a,--activation-code", o.activationCode, "activation code [LPA:]1$SMDP$MATCHINGID[$OID[$1]]")
        ->excludes(smdp)
        ->excludes(mid);
    dl->add_option("-c,--confirmation-code", o.confirmationCode, "confirmation code, when the SM-DP+ requires one");
    dl->add_option("-i,--imei", o.imei, "IMEI sent in deviceInfo (14-16 digits)");

    auto* notif = app.add_subcommand("notification", "list, process, remove pending notifications");
    notif->require_subcommand(1);
    auto* nList = notif->add_subcommand("list", "pending notifications (ListNotification)");
    auto* nProcess = notif->add_subcommand("process", "send notifications to their SM-DP+ (handleNotification)");
    nProcess->add_option("seq", o.seqNumbers, "sequence numbers")->required();
    nProcess->add_flag("--remove", o.remove, "remove each from the eUICC once delivered");
    auto* nRemove = notif->add_subcommand("remove", "remove notifications from the eUICC (NotificationSent)");
    nRemove->add_option("seq", o.seqNumbers, "sequence numbers")->required();

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : kExitUsage;
    }
    hideSecretArguments(argc, argv, {"-c", "--confirmation-code"});  // out of ps and /proc/PID/cmdline
    log::setLevel(o.verbose >= 2 ? log::Level::Comm : o.verbose == 1 ? log::Level::Debug : log::Level::Warning);

    std::string step = "connect";
    try {
        PcscTransport card(o.reader);
        LOG_INFO("reader '%s'", card.readerName().c_str());
        step = "open ISD-R";
        Es10Channel channel(card, o.mss);
        Es10Client c(channel);
        step = "command";
        json data;
        if (*chip) step = "es10c_get_eid", data = chipInfo(c);
        else if (*defaultSmdp) step = "es10a_set_default_dp_address", checkResult(step.c_str(), c.setDefaultDpAddress(o.smdp), "unknown");
        else if (*pList) step = "es10c_get_profiles_info", data = profileList(c);
        else if (*pEnable) step = "es10c_enable_profile", checkResult(step.c_str(), c.enableProfile(profileIdFromString(o.id), o.refresh), "profileNotInDisabledState");
        else if (*pDisable) step = "es10c_disable_profile", checkResult(step.c_str(), c.disableProfile(profileIdFromString(o.id), o.refresh), "profileNotInEnabledState");
        else if (*pDelete) step = "es10c_delete_profile", checkResult(step.c_str(), c.deleteProfile(profileIdFromString(o.id)), "profileNotInDisabledState");
        else if (*pNick) step = "es10c_set_nickname", checkResult(step.c_str(), c.setNickname(iccidFromString(o.id), o.nickname), "unknown");
        else if (*dl) step = "download", data = download(c, o);
        else if (*nList) step = "es10b_list_notification", data = notificationList(c);
        else if (*nProcess) step = "notification_process", data = notificationProcess(c, o);
        else if (*nRemove) step = "es10b_remove_notification_from_list", data = notificationRemove(c, o);
        std::cout << success(data).dump() << std::endl;
        return 0;
    } catch (const CommandError& e) {
        std::cout << failure(e.step, e.data).dump() << std::endl;
    } catch (const std::exception& e) {
        std::cout << failure(step, e.what()).dump() << std::endl;
    }
    return kExitFailure;
}

}  // namespace
}  // namespace vpcsc::lpa

int main(int argc, char** argv) { return vpcsc::lpa::run(argc, argv); }
