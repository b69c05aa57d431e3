// A virtual card as the transports see it: an ATR, power control, and one command APDU in, one
// response APDU out. Card types (vicc/cards/) derive from this, usually through Iso7816Card.
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "common/bytes.hpp"

namespace vpcsc::vicc {

class Card {
public:
    virtual ~Card() = default;

    // The answer to reset (ISO 7816-3 §8). Overridden by --atr or the card image.
    virtual Bytes atr() const = 0;

    // Cold start (power on), power off, warm reset. Volatile state (current files, verified
    // PINs, open logical channels, secure messaging session) is cleared on each.
    virtual void powerOn() = 0;
    virtual void powerOff() = 0;
    virtual void reset() = 0;

    // One command APDU in, one response APDU (data + SW1 SW2) out. Never throws: malformed or
    // unsupported commands are answered with the ISO 7816-4 §5.6 status word.
    virtual Bytes process(ByteView commandApdu) = 0;

    // Persistent state (the card image, vicc/image.hpp). saveState() is called whenever
    // consumeDirty() reports a change, and at exit.
    virtual nlohmann::json saveState() const = 0;
    virtual void loadState(const nlohmann::json& image) = 0;

    // Whether the card is in its reader. A card that can leave (the relay, when the real card is
    // pulled) answers false while it is out: the session then closes its reader connection, so
    // the virtual card disappears, and connects again once present() is true.
    virtual bool present() const { return true; }
    // A descriptor that is readable while present() is false, or -1 for a card that never leaves.
    // vicc adds it to the descriptors the transport watches, so a blocked read wakes up.
    virtual int absentFd() const { return -1; }
    bool consumeDirty() {
        bool d = m_dirty;
        m_dirty = false;
        return d;
    }

protected:
    void markDirty() { m_dirty = true; }

private:
    bool m_dirty = false;
};

}  // namespace vpcsc::vicc
