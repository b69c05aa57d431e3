// The command table of Iso7816Card: ISO 7816-4 §11 and ISO 7816-9 §6 instructions.
#include "vicc/iso7816/command_table.hpp"
#include "vicc/iso7816/iso7816_card.hpp"

namespace vpcsc::vicc {

const CommandTable& iso7816Commands() {
    using C = Iso7816Card;
    static const CommandTable table = CommandTable()
        .add(0x04, &C::deactivateFile)   // DEACTIVATE FILE, ISO 7816-9 §6.4
        .add(0x0C, &C::eraseRecord)      // ERASE RECORD(S), ISO 7816-4 §11.4.7
        .add(0x0E, &C::eraseBinary)      // ERASE BINARY, ISO 7816-4 §11.3.7
        .add(0x0F, &C::eraseBinary)
        .add(0x20, &C::verify)           // VERIFY, ISO 7816-4 §11.5
        .add(0x22, &C::manageSecurityEnvironment)  // MANAGE SECURITY ENVIRONMENT, ISO 7816-4 §11.5
        .add(0x24, &C::changeReferenceData)  // CHANGE REFERENCE DATA, ISO 7816-4 §11.5
        .add(0x2A, &C::performSecurityOperation)   // PERFORM SECURITY OPERATION, ISO 7816-8 §5
        .add(0x2C, &C::resetRetryCounter)    // RESET RETRY COUNTER, ISO 7816-4 §11.5
        // EXTERNAL AUTHENTICATE (no Le) and MUTUAL AUTHENTICATE (Le: the card answers), ISO 7816-4 §11.5
        .add(0x82, [](Iso7816Card& card, const CommandApdu& c, LogicalChannel& ch) {
            return c.ne ? card.mutualAuthenticate(c, ch) : card.externalAuthenticate(c, ch);
        })
        .add(0x84, &C::getChallenge)     // GET CHALLENGE, ISO 7816-4 §11.5
        .add(0x88, &C::internalAuthenticate)  // INTERNAL AUTHENTICATE, ISO 7816-4 §11.5
        .add(0x44, &C::activateFile)     // ACTIVATE FILE, ISO 7816-9 §6.3
        .add(0x46, &C::generateAsymmetricKeyPair)  // GENERATE ASYMMETRIC KEY PAIR, ISO 7816-8 §5.1
        .add(0x47, &C::generateAsymmetricKeyPair)
        .add(0x70, &C::manageChannel)    // MANAGE CHANNEL, ISO 7816-4 §11.1.2
        .add(0xA2, &C::searchRecord)     // SEARCH RECORD, ISO 7816-4 §11.4.8
        .add(0xA4, &C::select)           // SELECT, ISO 7816-4 §11.2.2
        .add(0xB0, &C::readBinary)       // READ BINARY, ISO 7816-4 §11.3.3
        .add(0xB1, &C::readBinary)
        .add(0xB2, &C::readRecord)       // READ RECORD(S), ISO 7816-4 §11.4.3
        .add(0xC0, &C::getResponse)      // GET RESPONSE, ISO 7816-4 §11.6.1
        .add(0xCA, &C::getData)          // GET DATA, ISO 7816-4 §11.5.3
        .add(0xCB, &C::getData)
        .add(0xD0, &C::writeBinary)      // WRITE BINARY, ISO 7816-4 §11.3.4
        .add(0xD1, &C::writeBinary)
        .add(0xD2, &C::writeRecord)      // WRITE RECORD, ISO 7816-4 §11.4.4
        .add(0xD6, &C::updateBinary)     // UPDATE BINARY, ISO 7816-4 §11.3.5
        .add(0xD7, &C::updateBinary)
        .add(0xDA, &C::putData)          // PUT DATA, ISO 7816-4 §11.5.6
        .add(0xDB, &C::putData)
        .add(0xDC, &C::updateRecord)     // UPDATE RECORD, ISO 7816-4 §11.4.5
        .add(0xE0, &C::createFile)       // CREATE FILE, ISO 7816-9 §6.1
        .add(0xE2, &C::appendRecord)     // APPEND RECORD, ISO 7816-4 §11.4.6
        .add(0xE4, &C::deleteFile)       // DELETE FILE, ISO 7816-9 §6.2
        .add(0xE6, &C::terminateDf)      // TERMINATE DF, ISO 7816-9 §6.5
        .add(0xE8, &C::terminateEf);     // TERMINATE EF, ISO 7816-9 §6.6
    return table;
}

}  // namespace vpcsc::vicc
