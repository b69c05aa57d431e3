// SIMtrace2 host <-> firmware messages (osmocom simtrace2 firmware, simtrace_prot.h layout as
// described in doc/simtrace.md): an 8-byte little-endian header and one payload per message.
// Pure codec, no libusb: used by the driver (ifd-simtrace) and by the simulated firmware in the
// tests. Every decode checks lengths before reading and throws vpcsc::ParseError.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/bytes.hpp"

namespace vpcsc::st2 {

// ---- framing ----------------------------------------------------------------------------------

constexpr std::size_t kHeaderSize = 8;
// USB_ALLOC_SIZE of the firmware: no message (either direction) is longer, and one host->device
// transfer must fit it too.
constexpr std::size_t kMaxMessage = 280;
constexpr std::size_t kMaxAtr = 33;  // ISO 7816-3 ATR_LEN_MAX = TS + 32

enum class MsgClass : std::uint8_t { Generic = 0, Cardem = 1, Modem = 2, Sniff = 3 };

// Message types per class (DT_ host->device, DO_ device->host, BD_ both).
namespace generic {
constexpr std::uint8_t DO_ERROR = 0;
constexpr std::uint8_t BD_BOARD_INFO = 1;
}  // namespace generic
namespace cardem {
constexpr std::uint8_t DT_TX_DATA = 1;      // SIMTRACE_MSGT_DT_CEMU_TX_DATA
constexpr std::uint8_t DT_SET_ATR = 2;      // SIMTRACE_MSGT_DT_CEMU_SET_ATR
constexpr std::uint8_t BD_STATS = 3;        // SIMTRACE_MSGT_BD_CEMU_STATS (not implemented by firmware)
constexpr std::uint8_t BD_STATUS = 4;       // SIMTRACE_MSGT_BD_CEMU_STATUS
constexpr std::uint8_t DT_CARDINSERT = 5;   // SIMTRACE_MSGT_DT_CEMU_CARDINSERT
constexpr std::uint8_t DO_RX_DATA = 6;      // SIMTRACE_MSGT_DO_CEMU_RX_DATA
constexpr std::uint8_t DO_PTS = 7;          // SIMTRACE_MSGT_DO_CEMU_PTS
constexpr std::uint8_t BD_CONFIG = 8;       // SIMTRACE_MSGT_BD_CEMU_CONFIG
}  // namespace cardem
namespace modem {
constexpr std::uint8_t DT_RESET = 1;        // SIMTRACE_MSGT_DT_MODEM_RESET
constexpr std::uint8_t DT_SIM_SELECT = 2;   // SIMTRACE_MSGT_DT_MODEM_SIM_SELECT
constexpr std::uint8_t BD_STATUS = 3;       // SIMTRACE_MSGT_BD_MODEM_STATUS
}  // namespace modem
namespace sniff {
constexpr std::uint8_t CHANGE = 0;          // SIMTRACE_MSGT_SNIFF_CHANGE
constexpr std::uint8_t FIDI = 1;            // SIMTRACE_MSGT_SNIFF_FIDI
constexpr std::uint8_t ATR = 2;             // SIMTRACE_MSGT_SNIFF_ATR
constexpr std::uint8_t PPS = 3;             // SIMTRACE_MSGT_SNIFF_PPS
constexpr std::uint8_t TPDU = 4;            // SIMTRACE_MSGT_SNIFF_TPDU
}  // namespace sniff

// CEMU_DATA_F_* (tx_data / rx_data flags).
constexpr std::uint32_t DATA_F_TPDU_HDR = 0x1;
constexpr std::uint32_t DATA_F_FINAL = 0x2;
constexpr std::uint32_t DATA_F_PB_AND_TX = 0x4;
constexpr std::uint32_t DATA_F_PB_AND_RX = 0x8;
// CEMU_STATUS_F_*.
constexpr std::uint32_t STATUS_F_VCC_PRESENT = 0x01;
constexpr std::uint32_t STATUS_F_CLK_ACTIVE = 0x02;
constexpr std::uint32_t STATUS_F_RCEMU_ACTIVE = 0x04;
constexpr std::uint32_t STATUS_F_CARD_INSERT = 0x08;
constexpr std::uint32_t STATUS_F_RESET_ACTIVE = 0x10;
// CEMU_FEAT_F_*.
constexpr std::uint32_t FEAT_F_STATUS_IRQ = 0x1;
// SNIFF_CHANGE_FLAG_* and SNIFF_DATA_FLAG_*.
constexpr std::uint32_t SNIFF_CHANGE_CARD_INSERT = 1u << 0;
constexpr std::uint32_t SNIFF_CHANGE_CARD_EJECT = 1u << 1;
constexpr std::uint32_t SNIFF_CHANGE_RESET_ASSERT = 1u << 2;
constexpr std::uint32_t SNIFF_CHANGE_RESET_DEASSERT = 1u << 3;
constexpr std::uint32_t SNIFF_CHANGE_TIMEOUT_WT = 1u << 4;
constexpr std::uint32_t SNIFF_DATA_ERROR_INCOMPLETE = 1u << 5;
constexpr std::uint32_t SNIFF_DATA_ERROR_MALFORMED = 1u << 6;
constexpr std::uint32_t SNIFF_DATA_ERROR_CHECKSUM = 1u << 7;
constexpr std::uint32_t SNIFF_DATA_ERROR_OVERRUN = 1u << 8;
constexpr std::uint32_t SNIFF_DATA_ERROR_FRAMING = 1u << 9;
constexpr std::uint32_t SNIFF_DATA_ERROR_PARITY = 1u << 10;

struct Header {
    std::uint8_t msgClass = 0;
    std::uint8_t msgType = 0;
    std::uint8_t seqNr = 0;
    std::uint8_t slotNr = 0;
    std::uint16_t reserved = 0;
    std::uint16_t msgLen = 0;  // total length including the header
};

// One message: the header and a view of its payload (inside the buffer given to parse).
struct Message {
    Header header;
    ByteView payload;
    bool is(MsgClass c, std::uint8_t type) const {
        return header.msgClass == static_cast<std::uint8_t>(c) && header.msgType == type;
    }
};

// Exactly one message filling the whole buffer (one device->host IN transfer). Throws ParseError
// when the buffer is shorter than a header, longer than kMaxMessage, or msg_len differs from it.
Message parseMessage(ByteView transfer);
// Concatenated messages (one host->device OUT transfer, as the firmware splits it).
std::vector<Message> splitMessages(ByteView transfer);
// Header + payload, msg_len filled in. Throws ParseError if the result exceeds kMaxMessage.
Bytes encodeMessage(MsgClass c, std::uint8_t type, ByteView payload, std::uint8_t slot = 0);

// ---- payloads ---------------------------------------------------------------------------------

// cardemu_usb_msg_tx_data / rx_data and sniff_data: u32 flags, u16 data_len, data.
struct DataPayload {
    std::uint32_t flags = 0;
    Bytes data;
    bool operator==(const DataPayload&) const = default;
};
Bytes encodeData(const DataPayload& d);
DataPayload decodeData(ByteView payload);  // data_len must match the payload exactly

// cardemu_usb_msg_status (13 bytes).
struct Status {
    std::uint32_t flags = 0;
    std::uint16_t voltageMv = 0;
    std::uint8_t fIndex = 0;
    std::uint8_t dIndex = 0;
    std::uint8_t wi = 0;
    std::uint32_t waitingTime = 0;
    bool operator==(const Status&) const = default;
};
constexpr std::size_t kStatusSize = 13;
Bytes encodeStatus(const Status& s);
Status decodeStatus(ByteView payload);  // >= 13 bytes; later fields of newer firmware ignored

// cardemu_usb_msg_pts_info (13 bytes).
struct Pts {
    std::uint8_t length = 0;  // <= 6
    std::array<std::uint8_t, 6> request{};
    std::array<std::uint8_t, 6> response{};
    bool operator==(const Pts&) const = default;
};
constexpr std::size_t kPtsSize = 13;
Bytes encodePts(const Pts& p);
Pts decodePts(ByteView payload);

// cardemu_usb_msg_config: u32 features [, u8 slot_mux_nr [, u8 pres_pol]], honoured by length.
struct Config {
    std::uint32_t features = 0;
    std::optional<std::uint8_t> slotMux;
    std::optional<std::uint8_t> presPol;  // requires slotMux
    bool operator==(const Config&) const = default;
};
Bytes encodeConfig(const Config& c);
Config decodeConfig(ByteView payload);

// cardemu_usb_msg_set_atr: u8 atr_len, atr (<= 33 bytes).
Bytes encodeSetAtr(ByteView atr);
Bytes decodeSetAtr(ByteView payload);

// st_modem_reset: u8 asserted (0 release, 1 assert, 2 pulse), u16 pulse_duration_msec.
struct ModemReset {
    std::uint8_t asserted = 0;
    std::uint16_t pulseMs = 0;
    bool operator==(const ModemReset&) const = default;
};
Bytes encodeModemReset(const ModemReset& r);
ModemReset decodeModemReset(ByteView payload);

// One-byte payloads: cardinsert (card_insert), sim_select (remote_sim), sniff_fidi (fidi).
Bytes encodeByte(std::uint8_t value);
std::uint8_t decodeByte(ByteView payload);
// sniff_change: u32 flags.
Bytes encodeU32(std::uint32_t value);
std::uint32_t decodeU32(ByteView payload);

// ---- complete host->device messages (as sent by the driver) ----------------------------------

Bytes txData(std::uint32_t flags, ByteView data);               // DT_CEMU_TX_DATA
Bytes setAtr(ByteView atr);                                      // DT_CEMU_SET_ATR
Bytes cardInsert(bool inserted);                                 // DT_CEMU_CARDINSERT
Bytes config(const Config& c);                                   // BD_CEMU_CONFIG
Bytes statusRequest();                                           // BD_CEMU_STATUS, empty payload
Bytes simSelect(bool remote);                                    // DT_MODEM_SIM_SELECT
Bytes modemReset(const ModemReset& r);                           // DT_MODEM_RESET

// "CARDEM RX_DATA" etc., for logs; never null.
const char* messageName(const Header& h);
std::string describeFlags(std::uint32_t flags, MsgClass c, std::uint8_t type);

}  // namespace vpcsc::st2
