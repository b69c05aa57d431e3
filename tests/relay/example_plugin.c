/* An example vpcsc relay plugin (include/vpcsc/relay_plugin.h), built in the tree and used by
 * tests/relay/mitm_test.cpp and tests/integration/relay-pcscd.sh:
 *
 *   vicc -t relay --reader 0 --mitm tests/relay/.libs/example_plugin.so[,upper]
 *
 * - rewrites responses: with the argument "upper", the data of every READ BINARY / READ RECORD
 *   response is upper-cased ASCII ("Hello" -> "HELLO");
 * - answers by itself: FF 01 00 00 (a private command) gets the number of commands, responses and
 *   resets seen so far (3 bytes) + 90 00, and never reaches the card (state kept across calls);
 * - drops: FF 02 00 00 is not forwarded (the application gets 6F 00);
 * - rewrites commands: FF 03 P1 P2 ... is sent to the card as 00 P1 P2 ... (CLA 00, INS = P1,
 *   P1 = P2, P2 = 00: a trivially recognisable transformation for the tests).
 */
#include <stdlib.h>
#include <string.h>

#include "vpcsc/relay_plugin.h"

struct state {
    int upper;
    unsigned commands, responses, resets;
};

static void *create(const char *args) {
    struct state *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->upper = args && strcmp(args, "upper") == 0;
    if (args && *args && !s->upper) { /* unknown argument: refuse to start */
        free(s);
        return NULL;
    }
    return s;
}

static void destroy(void *p) { free(p); }

static int on_command(void *p, vpcsc_relay_buffer *command, vpcsc_relay_buffer *answer) {
    struct state *s = p;
    s->commands++;
    if (command->length >= 4 && command->data[0] == 0xFF) {
        switch (command->data[1]) {
            case 0x01:
                if (answer->capacity < 5) return VPCSC_RELAY_DROP;
                answer->data[0] = (uint8_t)s->commands;
                answer->data[1] = (uint8_t)s->responses;
                answer->data[2] = (uint8_t)s->resets;
                answer->data[3] = 0x90;
                answer->data[4] = 0x00;
                answer->length = 5;
                return VPCSC_RELAY_ANSWER;
            case 0x02: return VPCSC_RELAY_DROP;
            case 0x03:
                command->data[0] = 0x00;
                command->data[1] = command->data[2];
                command->data[2] = command->data[3];
                command->data[3] = 0x00;
                return VPCSC_RELAY_FORWARD;
            default: break;
        }
    }
    return VPCSC_RELAY_FORWARD;
}

static int on_response(void *p, const uint8_t *command, size_t command_length, vpcsc_relay_buffer *response) {
    struct state *s = p;
    s->responses++;
    if (!s->upper || command_length < 4 || response->length < 2) return VPCSC_RELAY_FORWARD;
    if (command[1] != 0xB0 && command[1] != 0xB2) return VPCSC_RELAY_FORWARD;
    for (size_t i = 0; i + 2 < response->length; ++i)
        if (response->data[i] >= 'a' && response->data[i] <= 'z') response->data[i] = (uint8_t)(response->data[i] - 32);
    return VPCSC_RELAY_FORWARD;
}

static void on_reset(void *p, vpcsc_relay_buffer *atr) {
    struct state *s = p;
    (void)atr;
    s->resets++;
}

static const struct vpcsc_relay_plugin plugin = {
    VPCSC_RELAY_PLUGIN_ABI, "example", create, destroy, on_command, on_response, on_reset,
};

const struct vpcsc_relay_plugin *vpcsc_relay_plugin_v1(void) { return &plugin; }
