// sim-st2-serve: a simulated SIMtrace2 with cardem firmware and a phone, serving another program
// (pcscd in tests/simtrace/e2e.sh). Run under umockdev-wrapper; the child inherits the preload.
//   sim-st2-serve PHONE-LOG -- CMD ARGS...
// Once the host arms the emulator (SIM_SELECT remote), the phone powers the SIM and sends its
// TPDUs; every TPDU and what the phone received is appended to PHONE-LOG as "HEADER DATA => BYTES",
// then "done". Exits with CMD's status.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>

#include "ifd-simtrace/st2_protocol.hpp"
#include "tests/simtrace/sim_st2.hpp"

using namespace vpcsc;
using namespace vpcsc::st2;

int main(int argc, char** argv) {
    if (argc < 4 || std::strcmp(argv[2], "--") != 0) {
        std::fprintf(stderr, "usage: sim-st2-serve PHONE-LOG -- CMD ARGS...\n");
        return 2;
    }
    if (!test::umockdevAvailable()) {
        std::fprintf(stderr, "sim-st2-serve: not under umockdev-wrapper\n");
        return 77;
    }
    const std::string logPath = argv[1];
    test::SimSimtrace sim(test::Board::SimtraceCardem);
    setenv("SIMTRACE_DEVICE", sim.deviceName(0).c_str(), 1);
    const pid_t child = fork();
    if (child == 0) {
        execvp(argv[3], argv + 3);
        std::perror("execvp");
        _exit(127);
    }
    std::atomic<bool> finished{false};
    std::thread phone([&] {
        std::ofstream log(logPath, std::ios::app);
        // Wait for ARM: SIM_SELECT remote.
        for (;;) {
            if (finished) return;
            const Bytes m = sim.waitReceived(0x04, std::chrono::milliseconds(200));
            if (m.empty()) continue;
            log << "host: " << toHex(m) << std::endl;
            if (m == simSelect(true)) break;
        }
        sim.send(0x86, encodeMessage(MsgClass::Cardem, cardem::BD_STATUS,
                                     encodeStatus({STATUS_F_VCC_PRESENT | STATUS_F_CLK_ACTIVE, 3000, 1, 1, 10, 9600})));
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        struct Tpdu {
            const char* header;
            const char* data;
        };
        const Tpdu script[] = {
            {"00 A4 00 04 02", "3F 00"},        // SELECT MF, FCP wanted
            {"00 C0 00 00 00", ""},              // GET RESPONSE (Le 256: expect 6Cxx or the FCP)
            {"00 A4 00 0C 02", "2F E2"},        // SELECT EF.ICCID, no data
            {"00 B0 00 00 0A", ""},              // READ BINARY 10 bytes
            {"00 20 00 01 08", "31 32 33 34 FF FF FF FF"},  // VERIFY PIN1 1234
        };
        for (const Tpdu& t : script) {
            const Bytes got = test::phoneTpdu(sim, fromHex(t.header), fromHex(t.data));
            log << t.header << (t.data[0] ? " " : "") << t.data << " => " << toHex(got) << std::endl;
            // A 6Cxx answer: the phone repeats with the right length, as phones do.
            if (got.size() == 2 && got[0] == 0x6C) {
                Bytes h = fromHex(t.header);
                h[4] = got[1];
                log << toHex(h) << " => " << toHex(test::phoneTpdu(sim, h, {})) << std::endl;
            }
        }
        log << "done" << std::endl;
    });
    int status = 0;
    waitpid(child, &status, 0);
    finished = true;
    phone.join();
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
