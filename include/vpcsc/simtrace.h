/* vpcsc ifd-simtrace: SCardControl escapes of the SIMtrace2 readers (doc/simtrace.md).
 *
 * Every SIMtrace2 function interface is one PC/SC reader: "trace" (sniffer firmware) or "cardem"
 * (card-emulation firmware, the PC/SC client plays the SIM). Connect with SCARD_SHARE_DIRECT
 * (no card needed) and call SCardControl(code, in, out). All multi-byte fields little-endian.
 * Errors: SCARD_E_NOT_TRANSACTED / SCARD_F_COMM_ERROR for bad input or a bad state, with a line in
 * pcscd's log; SCARD_E_INSUFFICIENT_BUFFER when the output buffer is too small.
 *
 * python3-pyscard, answering the phone with 6D00 to everything except one record:
 *
 *   from smartcard.System import readers
 *   from smartcard.scard import SCARD_SHARE_DIRECT, SCARD_PROTOCOL_UNDEFINED
 *   from smartcard.scard import SCardControl
 *   r = [x for x in readers() if 'Card Emulation' in str(x) or 'CardEmulator' in str(x)][0]
 *   c = r.createConnection(); c.connect(mode=SCARD_SHARE_DIRECT, protocol=SCARD_PROTOCOL_UNDEFINED)
 *   ctl = lambda code, data=[]: c.control(0x42000000 + code, data)
 *   ctl(3602, [0x3B, 0x02, 0x14, 0x50])          # SET_ATR
 *   ctl(3603)                                     # ARM: the phone now talks to us
 *   while True:
 *       ev = ctl(3605, [0xF4, 0x01])              # GET_EVENT, wait up to 500 ms
 *       if ev and ev[0] == 1:                     # a C-APDU
 *           capdu = ev[1:]
 *           rapdu = [0x01, 0x02, 0x90, 0x00] if capdu[1] == 0xB2 else [0x6D, 0x00]
 *           ctl(3606, rapdu)                      # PUT_RESPONSE
 */
#ifndef VPCSC_SIMTRACE_H
#define VPCSC_SIMTRACE_H

/* SCARD_CTL_CODE(code) of pcsc-lite = 0x42000000 + code. */
#define VPCSC_SIMTRACE_CTL(n) (0x42000000UL + 3600UL + (n))

/* Both readers. Out: u8 kind (1 trace, 2 cardem), u8 armed, u32 status flags (cardem:
 * CEMU_STATUS_F_*: 0x01 VCC, 0x02 CLK, 0x10 RESET; trace: 0), u16 dropped trace records,
 * u8 ATR length, ATR. */
#define VPCSC_SIMTRACE_GET_INFO VPCSC_SIMTRACE_CTL(0)
/* Both readers. In: optional u16 maximum records. Out: whole trace records, oldest first,
 * removed from the driver's ring buffer (1024 records; overflow counts as "dropped"):
 *   u8 type, u32 flags, u64 timestamp (µs, CLOCK_REALTIME), u16 length, data[length]. */
#define VPCSC_SIMTRACE_READ_TRACE VPCSC_SIMTRACE_CTL(1)
/* cardem. In: ATR (1..33 bytes). Sent to the firmware at once when armed, else at ARM. */
#define VPCSC_SIMTRACE_SET_ATR VPCSC_SIMTRACE_CTL(2)
/* cardem. Connect the phone to the emulator: CONFIG(STATUS_IRQ), SET_ATR, CARDINSERT 1,
 * SIM_SELECT remote. Never done at hot-plug (unless auto_arm=yes in the configuration). */
#define VPCSC_SIMTRACE_ARM VPCSC_SIMTRACE_CTL(3)
/* cardem. Give the phone back its physical SIM: CARDINSERT 0, SIM_SELECT local. */
#define VPCSC_SIMTRACE_DISARM VPCSC_SIMTRACE_CTL(4)
/* cardem. In: optional u16 timeout in ms (default and maximum 500). Out: empty on timeout, else
 * u8 event type, data. A C-APDU must be answered with PUT_RESPONSE before the next one comes. */
#define VPCSC_SIMTRACE_GET_EVENT VPCSC_SIMTRACE_CTL(5)
/* cardem. In: the R-APDU (response data + SW1 SW2, up to 65,538 bytes); the driver shapes it
 * for T=0 (61xx/9Fxx + GET RESPONSE, 6Cxx). */
#define VPCSC_SIMTRACE_PUT_RESPONSE VPCSC_SIMTRACE_CTL(6)

/* GET_EVENT types. */
#define VPCSC_SIMTRACE_EV_APDU 1      /* data: a complete short C-APDU from the phone */
#define VPCSC_SIMTRACE_EV_RESET 2     /* the phone asserted RST or dropped VCC; data: u32 status */
#define VPCSC_SIMTRACE_EV_POWER_ON 3  /* VCC on and RST released: the firmware sent the ATR */
#define VPCSC_SIMTRACE_EV_PPS 4       /* data: PPS request bytes as negotiated by the firmware */

/* Trace record types. Flags: SNIFF_* of the firmware (0x20 INCOMPLETE, 0x40 MALFORMED,
 * 0x80 CHECKSUM, 0x100 OVERRUN, 0x200 FRAMING, 0x400 PARITY; CHANGE: 0x04 RESET_ASSERT,
 * 0x08 RESET_DEASSERT, 0x10 TIMEOUT_WT). */
#define VPCSC_SIMTRACE_REC_ATR 1
#define VPCSC_SIMTRACE_REC_PPS 2
#define VPCSC_SIMTRACE_REC_TPDU 3     /* header + data + SW, procedure bytes removed */
#define VPCSC_SIMTRACE_REC_CHANGE 4   /* no data, flags only */
#define VPCSC_SIMTRACE_REC_FIDI 5     /* data: TA1-coded Fi/Di */
#define VPCSC_SIMTRACE_REC_APDU 6     /* cardem: C-APDU + R-APDU as exchanged with the client */

#endif
