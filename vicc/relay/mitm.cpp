#include "vicc/relay/mitm.hpp"

#include <dlfcn.h>

#include <cctype>
#include <fstream>
#include <sstream>

#include "common/log.hpp"
#include "include/vpcsc/relay_plugin.h"

namespace vpcsc::vicc::relay {
namespace {

constexpr std::size_t kMaxApdu = 65538;  // 65535 data bytes + SW1 SW2, or an extended command
constexpr std::size_t kMaxAtr = 33;

bool endsWith(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

// ---- plugins ------------------------------------------------------------------------------------

class PluginHook : public Hook {
public:
    PluginHook(void* lib, const vpcsc_relay_plugin* p, void* state, std::string path)
        : m_lib(lib), m_p(p), m_state(state), m_path(std::move(path)) {}
    ~PluginHook() override {
        if (m_p->destroy) m_p->destroy(m_state);
        ::dlclose(m_lib);
    }

    Verdict onCommand(Bytes& command, Bytes& answer) override {
        if (!m_p->on_command) return Verdict::Forward;
        const std::size_t n = command.size();
        command.resize(kMaxApdu);
        answer.assign(kMaxApdu, 0);
        vpcsc_relay_buffer c{command.data(), n, command.size()};
        vpcsc_relay_buffer a{answer.data(), 0, answer.size()};
        const int v = m_p->on_command(m_state, &c, &a);
        command.resize(std::min(c.length, kMaxApdu));
        answer.resize(std::min(a.length, kMaxApdu));
        switch (v) {
            case VPCSC_RELAY_FORWARD: return Verdict::Forward;
            case VPCSC_RELAY_ANSWER:
                if (answer.size() < 2) {
                    LOG_ERROR("plugin %s answered with %zu bytes; sending 6F 00", name(), answer.size());
                    answer = {0x6F, 0x00};
                }
                return Verdict::Answer;
            case VPCSC_RELAY_DROP: return Verdict::Drop;
        }
        LOG_ERROR("plugin %s: unknown verdict %d from on_command; dropping the command", name(), v);
        return Verdict::Drop;
    }

    Verdict onResponse(ByteView command, Bytes& response) override {
        if (!m_p->on_response) return Verdict::Forward;
        const std::size_t n = response.size();
        response.resize(kMaxApdu);
        vpcsc_relay_buffer r{response.data(), n, response.size()};
        const int v = m_p->on_response(m_state, command.data(), command.size(), &r);
        response.resize(std::min(r.length, kMaxApdu));
        if (v == VPCSC_RELAY_DROP) return Verdict::Drop;
        if (v != VPCSC_RELAY_FORWARD) {
            LOG_ERROR("plugin %s: verdict %d from on_response; dropping the response", name(), v);
            return Verdict::Drop;
        }
        if (response.size() < 2) {
            LOG_ERROR("plugin %s left a response of %zu bytes; sending 6F 00", name(), response.size());
            return Verdict::Drop;
        }
        return Verdict::Forward;
    }

    void onReset(Bytes& atr) override {
        if (!m_p->on_reset) return;
        Bytes buf = atr;
        buf.resize(kMaxAtr);
        vpcsc_relay_buffer a{buf.data(), atr.size(), buf.size()};
        m_p->on_reset(m_state, &a);
        if (a.length < 2 || a.length > kMaxAtr) {
            LOG_ERROR("plugin %s left an ATR of %zu bytes; keeping the card's", name(), a.length);
            return;
        }
        buf.resize(a.length);
        atr = std::move(buf);
    }

    std::string describe() const override { return std::string("plugin ") + name() + " (" + m_path + ")"; }

private:
    const char* name() const { return m_p->name ? m_p->name : "(unnamed)"; }
    void* m_lib;
    const vpcsc_relay_plugin* m_p;
    void* m_state;
    std::string m_path;
};

// ---- rules --------------------------------------------------------------------------------------

class RuleHook : public Hook {
public:
    RuleHook(std::vector<Rule> rules, std::string file) : m_rules(std::move(rules)), m_file(std::move(file)) {}

    Verdict onCommand(Bytes& command, Bytes& answer) override {
        for (const Rule& r : m_rules) {
            if (r.response || !r.command.matches(command)) continue;
            if (r.action == Rule::Action::Answer) {
                LOG_INFO("%s:%d answers the command", m_file.c_str(), r.line);
                answer = r.bytes;
                return Verdict::Answer;
            }
            if (r.action == Rule::Action::Drop) {
                LOG_INFO("%s:%d drops the command", m_file.c_str(), r.line);
                return Verdict::Drop;
            }
            return Verdict::Forward;  // sw / response: applied to the response, below
        }
        return Verdict::Forward;
    }

    Verdict onResponse(ByteView command, Bytes& response) override {
        for (const Rule& r : m_rules) {
            if (!r.command.matches(command)) continue;
            if (r.response && !r.response->matches(response)) continue;
            if (r.action == Rule::Action::Answer || r.action == Rule::Action::Drop) return Verdict::Forward;
            LOG_INFO("%s:%d rewrites the response", m_file.c_str(), r.line);
            if (r.action == Rule::Action::Response) {
                response = r.bytes;
            } else if (response.size() >= 2) {
                response[response.size() - 2] = r.bytes[0];
                response[response.size() - 1] = r.bytes[1];
            }
            return Verdict::Forward;
        }
        return Verdict::Forward;
    }

    void onReset(Bytes&) override {}
    std::string describe() const override {
        return "rule file " + m_file + " (" + std::to_string(m_rules.size()) + " rules)";
    }

private:
    std::vector<Rule> m_rules;
    std::string m_file;
};

int nibble(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

BytePattern BytePattern::parse(std::string_view text) {
    BytePattern p;
    std::size_t i = 0;
    auto skipSeparators = [&] {
        while (i < text.size() && (std::isspace(static_cast<unsigned char>(text[i])) || text[i] == ':')) ++i;
    };
    skipSeparators();
    while (i < text.size()) {
        if (text[i] == '*') {
            if (p.items.empty() || !p.items.back().star) p.items.push_back({true, 0, 0});
            ++i;
        } else {
            if (i + 1 >= text.size()) throw ParseError(std::string("half a byte at '") + text[i] + "'");
            Item item;
            item.mask = 0;
            for (int k = 0; k < 2; ++k) {
                const char c = text[i + static_cast<std::size_t>(k)];
                const int shift = k == 0 ? 4 : 0;
                if (c == '?' || c == '.') continue;
                const int v = nibble(c);
                if (v < 0) throw ParseError(std::string("not a hex digit or wildcard: '") + c + "'");
                item.value = static_cast<std::uint8_t>(item.value | v << shift);
                item.mask = static_cast<std::uint8_t>(item.mask | 0xF << shift);
            }
            p.items.push_back(item);
            i += 2;
        }
        skipSeparators();
    }
    if (p.items.empty()) throw ParseError("empty pattern");
    return p;
}

bool BytePattern::matches(ByteView data) const {
    // Iterative glob match with backtracking to the last '*'.
    std::size_t d = 0, pi = 0, starP = SIZE_MAX, starD = 0;
    while (d < data.size()) {
        if (pi < items.size() && !items[pi].star && (data[d] & items[pi].mask) == items[pi].value) {
            ++pi;
            ++d;
        } else if (pi < items.size() && items[pi].star) {
            starP = pi++;
            starD = d;
        } else if (starP != SIZE_MAX) {
            pi = starP + 1;
            d = ++starD;
        } else {
            return false;
        }
    }
    while (pi < items.size() && items[pi].star) ++pi;
    return pi == items.size();
}

std::vector<Rule> parseRules(std::string_view text, const std::string& fileName) {
    std::vector<Rule> rules;
    int lineNo = 0;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        ++lineNo;
        if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
        line = trim(line);
        if (line.empty()) continue;
        const std::string where = fileName + ":" + std::to_string(lineNo) + ": ";
        try {
            const auto arrow = line.find("=>");
            if (arrow == std::string_view::npos) throw ParseError("expected 'PATTERN [/ PATTERN] => ACTION'");
            std::string_view lhs = trim(line.substr(0, arrow)), rhs = trim(line.substr(arrow + 2));
            Rule r;
            r.line = lineNo;
            if (auto slash = lhs.find('/'); slash != std::string_view::npos) {
                r.command = BytePattern::parse(trim(lhs.substr(0, slash)));
                r.response = BytePattern::parse(trim(lhs.substr(slash + 1)));
            } else {
                r.command = BytePattern::parse(lhs);
            }
            const auto space = rhs.find_first_of(" \t");
            const std::string_view verb = rhs.substr(0, space);
            const std::string_view arg = space == std::string_view::npos ? std::string_view() : trim(rhs.substr(space));
            if (verb == "sw") {
                r.action = Rule::Action::Sw;
                r.bytes = fromHex(arg);
                if (r.bytes.size() != 2) throw ParseError("sw takes 2 bytes (e.g. sw 6A 82)");
            } else if (verb == "response" || verb == "answer") {
                r.action = verb == "response" ? Rule::Action::Response : Rule::Action::Answer;
                r.bytes = fromHex(arg);
                if (r.bytes.size() < 2 || r.bytes.size() > kMaxApdu)
                    throw ParseError(std::string(verb) + " takes 2 to 65538 bytes ending in SW1 SW2");
            } else if (verb == "drop") {
                r.action = Rule::Action::Drop;
                if (!arg.empty()) throw ParseError("drop takes no argument");
            } else {
                throw ParseError("unknown action '" + std::string(verb) + "' (sw, response, answer, drop)");
            }
            if (r.response && (r.action == Rule::Action::Answer || r.action == Rule::Action::Drop))
                throw ParseError(std::string(verb) + " happens before the card answers: no response pattern allowed");
            rules.push_back(std::move(r));
        } catch (const ParseError& e) {
            throw MitmError(where + e.what());
        }
    }
    return rules;
}

std::unique_ptr<Hook> makeRuleHook(std::vector<Rule> rules, std::string fileName) {
    return std::make_unique<RuleHook>(std::move(rules), std::move(fileName));
}

std::unique_ptr<Hook> loadPlugin(const std::string& path, const std::string& args) {
    // A bare name would be searched in the library path; a plugin is always a file the user names.
    const std::string file = path.find('/') == std::string::npos ? "./" + path : path;
    void* lib = ::dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!lib) throw MitmError("cannot load plugin " + path + ": " + ::dlerror());
    using Entry = const vpcsc_relay_plugin* (*)();
    auto entry = reinterpret_cast<Entry>(::dlsym(lib, "vpcsc_relay_plugin_v1"));
    const vpcsc_relay_plugin* p = entry ? entry() : nullptr;
    if (!p) {
        ::dlclose(lib);
        throw MitmError(path + " is not a vpcsc relay plugin (no vpcsc_relay_plugin_v1(), see <vpcsc/relay_plugin.h>)");
    }
    if (p->abi_version != VPCSC_RELAY_PLUGIN_ABI) {
        const unsigned v = p->abi_version;
        ::dlclose(lib);
        throw MitmError(path + ": plugin ABI " + std::to_string(v) + ", this vicc speaks " +
                        std::to_string(VPCSC_RELAY_PLUGIN_ABI));
    }
    void* state = p->create ? p->create(args.c_str()) : reinterpret_cast<void*>(1);
    if (!state) {
        ::dlclose(lib);
        throw MitmError("plugin " + path + " refused to start (create returned NULL; args '" + args + "')");
    }
    return std::make_unique<PluginHook>(lib, p, state, path);
}

std::unique_ptr<Hook> loadHook(const std::string& spec) {
    const auto comma = spec.find(',');
    const std::string path = spec.substr(0, comma);
    if (endsWith(path, ".so") || path.find(".so.") != std::string::npos)
        return loadPlugin(path, comma == std::string::npos ? "" : spec.substr(comma + 1));
    std::ifstream in(spec);
    if (!in) throw MitmError("cannot read rule file " + spec);
    std::ostringstream text;
    text << in.rdbuf();
    return makeRuleHook(parseRules(text.str(), spec), spec);
}

}  // namespace vpcsc::vicc::relay
