/* vpcsc relay: man-in-the-middle plugins for `vicc -t relay --mitm PLUGIN.so[,ARGS]` (doc/relay.md).
 *
 * A plugin is a shared object exporting one function, vpcsc_relay_plugin_v1(), which returns a
 * static table of callbacks. vicc dlopen()s it at start, calls create(args) once, then, for every
 * command APDU the application sends to the virtual card:
 *
 *   on_command(state, command, answer)   before the real card sees it. The plugin may rewrite the
 *                                        command in place, answer it itself (fill `answer`, return
 *                                        VPCSC_RELAY_ANSWER: the real card never sees it) or drop
 *                                        it (VPCSC_RELAY_DROP: not forwarded; the application gets
 *                                        6F 00). VPCSC_RELAY_FORWARD sends it on.
 *   on_response(state, command, response) after the real card answered a forwarded command; may
 *                                        rewrite the response in place (data and SW1 SW2).
 *                                        VPCSC_RELAY_DROP replaces it with 6F 00.
 *   on_reset(state, atr)                 after every power on / reset of the real card, with the
 *                                        ATR the virtual card is about to present; may rewrite it
 *                                        (2 to 33 bytes).
 *
 * Every callback may be NULL. All calls come from one thread, one at a time. The plugin's state is
 * whatever create() returned; NULL from create() means failure (vicc exits with an error), so a
 * plugin without state returns any non-NULL marker, e.g. (void *)1.
 * Buffers: `data` holds `length` bytes and has room for `capacity`; a plugin may change bytes and
 * set `length` to anything up to `capacity` (a response must keep at least 2 bytes, SW1 SW2).
 * Commands and responses have room for 65,538 bytes (extended length). Never keep a buffer
 * pointer past the call.
 *
 * Minimal example (tests/relay/example_plugin.c is a complete one):
 *
 *   #include <vpcsc/relay_plugin.h>
 *   static int on_response(void *s, const uint8_t *c, size_t cl, vpcsc_relay_buffer *r) {
 *       (void)s; (void)c; (void)cl;
 *       if (r->length >= 2) { r->data[r->length - 2] = 0x90; r->data[r->length - 1] = 0x00; }
 *       return VPCSC_RELAY_FORWARD;
 *   }
 *   static void *create(const char *args) { (void)args; return (void *)1; }
 *   static const struct vpcsc_relay_plugin plugin = {
 *       VPCSC_RELAY_PLUGIN_ABI, "always-9000", create, NULL, NULL, on_response, NULL };
 *   const struct vpcsc_relay_plugin *vpcsc_relay_plugin_v1(void) { return &plugin; }
 *
 * Build: cc -shared -fPIC -o always9000.so always9000.c   (the header is in $(includedir)/vpcsc)
 * Run:   vicc -t relay --reader 0 --mitm ./always9000.so
 */
#ifndef VPCSC_RELAY_PLUGIN_H
#define VPCSC_RELAY_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped on any incompatible change of the structures below; vicc refuses other versions. */
#define VPCSC_RELAY_PLUGIN_ABI 1u

/* What on_command / on_response decide. */
enum vpcsc_relay_verdict {
    VPCSC_RELAY_FORWARD = 0, /* go on (with the buffer as the plugin left it) */
    VPCSC_RELAY_ANSWER = 1,  /* on_command only: `answer` is the response; the card is not asked */
    VPCSC_RELAY_DROP = 2     /* not forwarded / not delivered: the application gets 6F 00 */
};

typedef struct vpcsc_relay_buffer {
    uint8_t *data;   /* the bytes, writable */
    size_t length;   /* bytes in use; the plugin may set it to 0..capacity */
    size_t capacity; /* room in data */
} vpcsc_relay_buffer;

struct vpcsc_relay_plugin {
    uint32_t abi_version; /* VPCSC_RELAY_PLUGIN_ABI */
    const char *name;     /* for log lines */
    /* args: the text after the first ',' of --mitm (empty string if none). NULL = failure. */
    void *(*create)(const char *args);
    void (*destroy)(void *state);
    int (*on_command)(void *state, vpcsc_relay_buffer *command, vpcsc_relay_buffer *answer);
    int (*on_response)(void *state, const uint8_t *command, size_t command_length,
                       vpcsc_relay_buffer *response);
    void (*on_reset)(void *state, vpcsc_relay_buffer *atr);
};

/* Default visibility even when the plugin is built with -fvisibility=hidden. */
#if defined(__GNUC__)
#define VPCSC_RELAY_EXPORT __attribute__((visibility("default")))
#else
#define VPCSC_RELAY_EXPORT
#endif

/* The only symbol vicc looks up. */
VPCSC_RELAY_EXPORT const struct vpcsc_relay_plugin *vpcsc_relay_plugin_v1(void);

#ifdef __cplusplus
}
#endif

#endif /* VPCSC_RELAY_PLUGIN_H */
