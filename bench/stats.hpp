// Order statistics for the bench reports.
#pragma once

#include <algorithm>
#include <vector>

namespace vpcsc::bench {

// Nearest-rank percentile (p in [0, 100]) of a sample; 0 for an empty sample.
inline double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const auto rank = static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(rank, v.size() - 1)];
}

}  // namespace vpcsc::bench
