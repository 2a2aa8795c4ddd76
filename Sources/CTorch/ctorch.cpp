// ctorch.cpp: the C ABI of ctorch.h implemented over ATen / libtorch.
//
// Every entry point runs its body inside `guarded`, which catches c10::Error, std::exception and
// anything else, records the message in a thread-local string and returns -1.
#include "ctorch.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <ATen/Version.h>
#include <c10/core/GradMode.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/custom_function.h>
#include <torch/version.h>

#include <dlfcn.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <climits>
#include <cstring>
#include <type_traits>
#include <sstream>
#include <string>
#include <vector>

#if __has_include(<ATen/cuda/CUDAContext.h>) && defined(CTORCH_WITH_CUDA)
#include <ATen/cuda/CUDAContext.h>
#endif

struct tt_tensor_s {
    at::Tensor t;
};
struct tt_generator_s {
    at::Generator g;
};

namespace {

thread_local std::string last_error;

template <typename F>
int guarded(F &&body) {
    try {
        body();
        return 0;
    } catch (const c10::Error &e) {
        last_error = e.what_without_backtrace();
    } catch (const std::exception &e) {
        last_error = e.what();
    } catch (...) {
        last_error = "unknown C++ exception";
    }
    return -1;
}

inline const at::Tensor &T(tt_tensor h) {
    if (h == nullptr) throw std::invalid_argument("null tensor handle");
    return h->t;
}
inline c10::optional<at::Tensor> opt(tt_tensor h) {
    if (h == nullptr) return c10::nullopt;
    return h->t;
}
inline tt_tensor wrap(at::Tensor t) { return new tt_tensor_s{std::move(t)}; }

at::ScalarType scalar_type(int code) {
    switch (code) {
    case TT_FLOAT32: return at::kFloat;
    case TT_FLOAT64: return at::kDouble;
    case TT_INT64: return at::kLong;
    case TT_BOOL: return at::kBool;
    case TT_INT32: return at::kInt;
    case TT_UINT8: return at::kByte;
    case TT_INT8: return at::kChar;
    case TT_INT16: return at::kShort;
    case TT_FLOAT16: return at::kHalf;
    case TT_BFLOAT16: return at::kBFloat16;
    }
    throw std::invalid_argument("unknown dtype code " + std::to_string(code));
}

int dtype_code(at::ScalarType s) {
    switch (s) {
    case at::kFloat: return TT_FLOAT32;
    case at::kDouble: return TT_FLOAT64;
    case at::kLong: return TT_INT64;
    case at::kBool: return TT_BOOL;
    case at::kInt: return TT_INT32;
    case at::kByte: return TT_UINT8;
    case at::kChar: return TT_INT8;
    case at::kShort: return TT_INT16;
    case at::kHalf: return TT_FLOAT16;
    case at::kBFloat16: return TT_BFLOAT16;
    default: return -1;
    }
}

at::Device device(int dev, int index) {
    switch (dev) {
    case TT_CPU: return at::Device(at::kCPU);
    case TT_CUDA: return at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(index));
    }
    throw std::invalid_argument("unknown device type " + std::to_string(dev));
}

at::TensorOptions options(int dtype, int dev, int index) {
    return at::TensorOptions().dtype(scalar_type(dtype)).device(device(dev, index));
}

at::IntArrayRef ints(const int64_t *p, int64_t n) {
    if (n < 0) throw std::invalid_argument("negative length");
    return at::IntArrayRef(p, static_cast<size_t>(n));
}

c10::optional<at::Generator> gen(tt_generator g) {
    if (g == nullptr) return c10::nullopt;
    return g->g;
}

// Random draws happen on the CPU with a CPU generator, then move: the same seed gives the same
// numbers on every device.
at::Tensor on(at::Tensor t, int dev, int index) {
    if (dev == TT_CPU) return t;
    return t.to(device(dev, index));
}

at::Tensor binary(int op, const at::Tensor &a, const at::Tensor &b) {
    switch (op) {
    case TT_ADD: return at::add(a, b);
    case TT_SUB: return at::sub(a, b);
    case TT_MUL: return at::mul(a, b);
    case TT_DIV: return at::div(a, b);
    case TT_POW: return at::pow(a, b);
    case TT_MAXIMUM: return at::maximum(a, b);
    case TT_MINIMUM: return at::minimum(a, b);
    case TT_EQ: return at::eq(a, b);
    case TT_NE: return at::ne(a, b);
    case TT_LT: return at::lt(a, b);
    case TT_LE: return at::le(a, b);
    case TT_GT: return at::gt(a, b);
    case TT_GE: return at::ge(a, b);
    case TT_LOGICAL_AND: return at::logical_and(a, b);
    case TT_LOGICAL_OR: return at::logical_or(a, b);
    case TT_REMAINDER: return at::remainder(a, b);
    case TT_ATAN2: return at::atan2(a, b);
    }
    throw std::invalid_argument("unknown binary op " + std::to_string(op));
}

at::Tensor binary_scalar(int op, const at::Tensor &a, const at::Scalar &s) {
    switch (op) {
    case TT_ADD: return at::add(a, s);
    case TT_SUB: return at::sub(a, s);
    case TT_MUL: return at::mul(a, s);
    case TT_DIV: return at::div(a, s);
    case TT_POW: return at::pow(a, s);
    case TT_MAXIMUM: return at::clamp_min(a, s);
    case TT_MINIMUM: return at::clamp_max(a, s);
    case TT_EQ: return at::eq(a, s);
    case TT_NE: return at::ne(a, s);
    case TT_LT: return at::lt(a, s);
    case TT_LE: return at::le(a, s);
    case TT_GT: return at::gt(a, s);
    case TT_GE: return at::ge(a, s);
    case TT_REMAINDER: return at::remainder(a, s);
    }
    throw std::invalid_argument("binary op " + std::to_string(op) + " has no scalar form");
}

// Scalars keep integer tensors integral when the value is a whole number.
at::Scalar scalar_for(const at::Tensor &a, double s) {
    if (at::isIntegralType(a.scalar_type(), /*includeBool=*/true) && s == static_cast<double>(static_cast<int64_t>(s)))
        return at::Scalar(static_cast<int64_t>(s));
    return at::Scalar(s);
}

at::Tensor unary(int op, const at::Tensor &a) {
    switch (op) {
    case TT_NEG: return at::neg(a);
    case TT_EXP: return at::exp(a);
    case TT_LOG: return at::log(a);
    case TT_SQRT: return at::sqrt(a);
    case TT_RSQRT: return at::rsqrt(a);
    case TT_ABS: return at::abs(a);
    case TT_RELU: return at::relu(a);
    case TT_GELU: return at::gelu(a);
    case TT_GELU_TANH: return at::gelu(a, "tanh");
    case TT_TANH: return at::tanh(a);
    case TT_SIGMOID: return at::sigmoid(a);
    case TT_SIN: return at::sin(a);
    case TT_COS: return at::cos(a);
    case TT_SQUARE: return at::square(a);
    case TT_SIGN: return at::sign(a);
    case TT_FLOOR: return at::floor(a);
    case TT_CEIL: return at::ceil(a);
    case TT_ROUND: return at::round(a);
    case TT_LOGICAL_NOT: return at::logical_not(a);
    case TT_ISNAN: return at::isnan(a);
    case TT_ISFINITE: return at::isfinite(a);
    case TT_RECIPROCAL: return at::reciprocal(a);
    case TT_LOG1P: return at::log1p(a);
    case TT_EXPM1: return at::expm1(a);
    case TT_SILU: return at::silu(a);
    }
    throw std::invalid_argument("unknown unary op " + std::to_string(op));
}

int64_t reduction_code(int r) {
    switch (r) {
    case 0: return at::Reduction::None;
    case 1: return at::Reduction::Mean;
    case 2: return at::Reduction::Sum;
    }
    throw std::invalid_argument("unknown reduction " + std::to_string(r));
}

std::vector<at::Tensor> list(const tt_tensor *ts, int64_t n) {
    std::vector<at::Tensor> v;
    v.reserve(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) v.push_back(T(ts[i]));
    return v;
}

void check_spatial(int64_t n) {
    if (n != 1 && n != 2) throw std::invalid_argument("only 1 or 2 spatial dimensions are supported, got " + std::to_string(n));
}


/// BLAS `?syrk` (C = A·Aᵀ, upper triangle, row-major) from the BLAS libtorch already loaded into this process (Debian's
/// libtorch links OpenBLAS, which exports the CBLAS interface); nullptr when none is found (the PyPI wheel's MKL is
/// linked statically and hidden): the callers then take the general product.
using SyrkFloat = void (*)(int, int, int, int, int, float, const float *, int, float, float *, int);
using SyrkDouble = void (*)(int, int, int, int, int, double, const double *, int, double, double *, int);
SyrkFloat cblasSsyrk() {
    static const SyrkFloat f = reinterpret_cast<SyrkFloat>(dlsym(RTLD_DEFAULT, "cblas_ssyrk"));
    return f;
}
SyrkDouble cblasDsyrk() {
    static const SyrkDouble f = reinterpret_cast<SyrkDouble>(dlsym(RTLD_DEFAULT, "cblas_dsyrk"));
    return f;
}

/// Copies the upper triangle of the row-major n×n matrix c into its lower triangle, tile by tile (both sides of a tile
/// stay in cache).
template <typename Scalar>
void mirrorUpperTriangle(Scalar *c, int64_t n) {
    constexpr int64_t tile = 32;
    for (int64_t i0 = 0; i0 < n; i0 += tile)
        for (int64_t j0 = 0; j0 <= i0; j0 += tile)
            for (int64_t i = i0; i < std::min(i0 + tile, n); ++i)
                for (int64_t j = j0; j < std::min(j0 + tile, i); ++j) c[i * n + j] = c[j * n + i];
}

/// X·Xᵀ [n, n] of a contiguous CPU x [n, p] through BLAS `syrk` (half the multiply-adds of the general product; the
/// lower triangle is mirrored from the upper), or `x.mm(x.t())` where no `syrk` is at hand.
at::Tensor symmetricGram(const at::Tensor &x) {
    const int64_t n = x.size(0), p = x.size(1);
    const bool fits = n <= INT32_MAX && p <= INT32_MAX;
    if (!x.is_cpu() || !fits || !(x.scalar_type() == at::kFloat ? cblasSsyrk() != nullptr
                                  : x.scalar_type() == at::kDouble ? cblasDsyrk() != nullptr : false))
        return x.mm(x.t());
    auto xc = x.contiguous();
    auto k = at::empty({n, n}, xc.options());
    constexpr int rowMajor = 101, upper = 121, noTrans = 111;
    const int ni = static_cast<int>(n), pi = static_cast<int>(p);
    if (xc.scalar_type() == at::kFloat) {
        cblasSsyrk()(rowMajor, upper, noTrans, ni, pi, 1.0f, xc.data_ptr<float>(), pi, 0.0f, k.data_ptr<float>(), ni);
        mirrorUpperTriangle(k.data_ptr<float>(), n);
    } else {
        cblasDsyrk()(rowMajor, upper, noTrans, ni, pi, 1.0, xc.data_ptr<double>(), pi, 0.0, k.data_ptr<double>(), ni);
        mirrorUpperTriangle(k.data_ptr<double>(), n);
    }
    return k;
}

/// Whether k and l are same-shaped contiguous CPU float32/float64 tensors of one dtype: what the one-pass loops
/// below read directly (elsewhere, e.g. on CUDA, the ATen ops run instead).
bool directCPUPair(const at::Tensor &k, const at::Tensor &l) {
    return k.is_cpu() && l.is_cpu() && k.scalar_type() == l.scalar_type() && k.sizes() == l.sizes()
        && (k.scalar_type() == at::kFloat || k.scalar_type() == at::kDouble) && k.is_contiguous() && l.is_contiguous();
}

/// ⟨k, l⟩, ⟨k, k⟩ and ⟨l, l⟩ of two symmetric matrices (a directCPUPair) from their upper triangles, in one pass,
/// accumulated in double (the diagonal once, the rest twice): the three ATen products and sums made six passes over
/// the whole matrices and three n×n temporaries.
std::array<double, 3> symmetricInnerProducts(const at::Tensor &k, const at::Tensor &l) {
    std::array<double, 3> result{};
    AT_DISPATCH_FLOATING_TYPES(k.scalar_type(), "symmetricInnerProducts", [&] {
        const scalar_t *kp = k.data_ptr<scalar_t>(), *lp = l.data_ptr<scalar_t>();
        const int64_t n = k.size(0);
        double diag[3] = {}, kl[4] = {}, kk[4] = {}, ll[4] = {};
        for (int64_t i = 0; i < n; ++i) {
            const scalar_t *kr = kp + i * n, *lr = lp + i * n;
            const double kd = kr[i], ld = lr[i];
            diag[0] += kd * ld; diag[1] += kd * kd; diag[2] += ld * ld;
            int64_t j = i + 1;
            for (; j + 4 <= n; j += 4)
                for (int u = 0; u < 4; ++u) {
                    const double kv = kr[j + u], lv = lr[j + u];
                    kl[u] += kv * lv; kk[u] += kv * kv; ll[u] += lv * lv;
                }
            for (; j < n; ++j) {
                const double kv = kr[j], lv = lr[j];
                kl[0] += kv * lv; kk[0] += kv * kv; ll[0] += lv * lv;
            }
        }
        auto total = [](const double *part, double d) { return d + 2 * ((part[0] + part[1]) + (part[2] + part[3])); };
        result = {total(kl, diag[0]), total(kk, diag[1]), total(ll, diag[2])};
    });
    return result;
}

/// alpha·l − beta·k in one pass (a directCPUPair): the CKA backward's n×n factor without two temporaries. With
/// `rows` (int64 [n], a permutation; empty: none) row i of the result is written at row rows[i], so that the product
/// factor·Xc comes out with its rows at those positions (the gradient in x's own order, no scatter afterwards).
at::Tensor scaledDifference(const at::Tensor &l, double alpha, const at::Tensor &k, double beta, const at::Tensor &rows) {
    auto out = at::empty_like(l, at::MemoryFormat::Contiguous);
    const int64_t n = l.size(0), width = l.numel() / std::max<int64_t>(n, 1);
    const int64_t *to = rows.defined() && rows.numel() > 0 ? rows.data_ptr<int64_t>() : nullptr;
    AT_DISPATCH_FLOATING_TYPES(l.scalar_type(), "scaledDifference", [&] {
        const scalar_t *lp = l.data_ptr<scalar_t>(), *kp = k.data_ptr<scalar_t>();
        scalar_t *op = out.data_ptr<scalar_t>();
        const auto a = static_cast<scalar_t>(alpha), b = static_cast<scalar_t>(beta);
        for (int64_t i = 0; i < n; ++i) {
            const scalar_t *lr = lp + i * width, *kr = kp + i * width;
            scalar_t *line = op + (to ? to[i] : i) * width;
            for (int64_t j = 0; j < width; ++j) line[j] = a * lr[j] - b * kr[j];
        }
    });
    return out;
}

/// Xc [n, p]: x's rows in `order` (positions of x, a permutation; undefined or empty: x's own order) minus x's column
/// means. On the CPU (float32/float64) in two passes over x, the means in double; elsewhere index_select, mean, sub.
at::Tensor centeredRows(const at::Tensor &x, const at::Tensor &order) {
    const bool permuted = order.defined() && order.numel() > 0;
    if (!x.is_cpu() || !(x.scalar_type() == at::kFloat || x.scalar_type() == at::kDouble) || x.dim() != 2) {
        const auto &xs = permuted ? x.index_select(0, order.to(x.device())) : x;
        return xs - xs.mean(0, true);
    }
    auto xs = x.contiguous();
    auto out = at::empty_like(xs, at::MemoryFormat::Contiguous);
    const int64_t n = xs.size(0), p = xs.size(1);
    const int64_t *from = permuted ? order.data_ptr<int64_t>() : nullptr;
    AT_DISPATCH_FLOATING_TYPES(xs.scalar_type(), "centeredRows", [&] {
        const scalar_t *src = xs.data_ptr<scalar_t>();
        scalar_t *dst = out.data_ptr<scalar_t>();
        std::vector<double> mean(static_cast<size_t>(p), 0.0);
        for (int64_t i = 0; i < n; ++i)
            for (int64_t j = 0; j < p; ++j) mean[static_cast<size_t>(j)] += src[i * p + j];
        for (auto &m : mean) m /= static_cast<double>(std::max<int64_t>(n, 1));
        for (int64_t i = 0; i < n; ++i) {
            const scalar_t *row = src + (from ? from[i] : i) * p;
            scalar_t *line = dst + i * p;
            for (int64_t j = 0; j < p; ++j) line[j] = static_cast<scalar_t>(row[j] - mean[static_cast<size_t>(j)]);
        }
    });
    return out;
}

/// The Gram form's scalars from Kc and Lc [n, n]: a = ⟨Kc, Lc⟩, c = ⟨Lc, Lc⟩ and s = sqrt(⟨Kc, Kc⟩·c + ε), as 0-dim
/// tensors of k's dtype (both symmetric); on the CPU in one pass (symmetricInnerProducts), elsewhere through ATen.
struct GramScalars { at::Tensor a, c, s; };
GramScalars gramScalars(const at::Tensor &k, const at::Tensor &l, double eps) {
    if (directCPUPair(k, l)) {
        const auto [kl, kk, ll] = symmetricInnerProducts(k, l);
        const auto options = k.options();
        return {at::scalar_tensor(kl, options), at::scalar_tensor(ll, options), at::scalar_tensor(std::sqrt(kk * ll + eps), options)};
    }
    auto c = (l * l).sum();
    return {(k * l).sum(), c, ((k * k).sum() * c + eps).sqrt()};
}

/// The Gram form's gradient in Xc [n, p] for upstream gradient g: (2g/s)·(Lc − (a·c/s²)·Kc)·Xc, its row i at row
/// rows[i] when `rows` (a permutation, int64 [n]) is given: Xc's rows were x's in that order, and this is x's gradient.
at::Tensor gramFormGradient(const at::Tensor &xc, const at::Tensor &k, const at::Tensor &l, const GramScalars &v,
                            const at::Tensor &g, const at::Tensor &rows = at::Tensor()) {
    const bool permuted = rows.defined() && rows.numel() > 0;
    if (directCPUPair(k, l) && g.is_cpu() && (!permuted || rows.is_cpu())) {
        const double s = v.s.item<double>(), scale = 2 * g.item<double>() / s;
        return scaledDifference(l, scale, k, scale * v.a.item<double>() * v.c.item<double>() / (s * s), rows).mm(xc);
    }
    auto gx = (l - (v.a * v.c / (v.s * v.s)) * k).mm(xc) * (2 * g / v.s);
    return permuted ? at::empty_like(gx).index_copy_(0, rows, gx) : gx;
}

/// Linear CKA of x [n, p] against a constant y [n, q] as one autograd node with its closed-form gradient
/// (method.md §2): value a / sqrt(b·c + ε), a = ⟨Kc, Lc⟩, b = ⟨Kc, Kc⟩, c = ⟨Lc, Lc⟩, Kc = XcXcᵀ, Lc = YcYcᵀ
/// (Xc, Yc column-centred). With s = sqrt(b·c + ε) and upstream gradient g:
///   Gram form:    ∂/∂Xc = (2g/s)·(Lc − (a·c/s²)·Kc)·Xc            (one n×n·n×p product)
///   feature form: ∂/∂Xc = (2g/s)·(Yc·(XcᵀYc)ᵀ − (a·c/s²)·Xc·(XcᵀXc))     (two products)
/// Both results have zero column means, so they are also the gradient with respect to x (the centring is a
/// projection they already satisfy). With ε = 0 this is method.md's (2/sqrt(b·c))·(Lc·Xc − (a/b)·Kc·Xc).
/// Autograd through the composite ops computes the same value and gradient with two n×n·n×p products for the Gram
/// matrix and about a dozen graph nodes; this is one node and one product. y gets no gradient (the guide is frozen).
struct LinearCKAFunction : public torch::autograd::Function<LinearCKAFunction> {
    static at::Tensor forward(torch::autograd::AutogradContext *ctx, const at::Tensor &x, const at::Tensor &y, bool gram,
                              double eps) {
        auto xc = centeredRows(x, at::Tensor());
        auto yc = centeredRows(y, at::Tensor());
        if (gram) {
            auto k = symmetricGram(xc);  // [n, n]
            auto l = symmetricGram(yc);  // [n, n]
            const auto v = gramScalars(k, l, eps);
            ctx->save_for_backward({xc, k, l, v.a, v.c, v.s});
            ctx->saved_data["gram"] = true;
            return v.a / v.s;
        }
        auto xty = xc.t().mm(yc);  // [p, q]
        auto xtx = xc.t().mm(xc);  // [p, p]
        auto yty = yc.t().mm(yc);  // [q, q]
        auto a = xty.square().sum();
        auto b = xtx.square().sum();
        auto c = yty.square().sum();
        auto s = (b * c + eps).sqrt();
        ctx->save_for_backward({xc, yc, xty, xtx, a, c, s});
        ctx->saved_data["gram"] = false;
        return a / s;
    }

    static torch::autograd::variable_list backward(torch::autograd::AutogradContext *ctx,
                                                   torch::autograd::variable_list grads) {
        auto v = ctx->get_saved_variables();
        const auto &g = grads[0];
        at::Tensor gx;
        if (ctx->saved_data["gram"].toBool()) {
            gx = gramFormGradient(v[0], v[1], v[2], {v[3], v[4], v[5]}, g);
        } else {
            const auto &xc = v[0], &yc = v[1], &xty = v[2], &xtx = v[3], &a = v[4], &c = v[5], &s = v[6];
            gx = (yc.mm(xty.t()) - (a * c / (s * s)) * xc.mm(xtx)) * (2 * g / s);
        }
        return {gx, at::Tensor(), at::Tensor(), at::Tensor()};
    }
};

} // namespace

extern "C" {

// MARK: errors and runtime

const char *tt_last_error(void) { return last_error.c_str(); }

const char *tt_version(void) { return TORCH_VERSION; }

const char *tt_build_config(void) {
    thread_local std::string text;
    try {
        text = at::show_config();
    } catch (...) {
        text.clear();
    }
    return text.c_str();
}

int tt_device_synchronize(int dev, int dev_index) {
    return guarded([&] {
        if (dev == TT_CUDA) at::detail::getCUDAHooks().deviceSynchronize(dev_index);
    });
}

int tt_cuda_device_count(void) {
    try {
        return static_cast<int>(at::globalContext().hasCUDA() ? at::detail::getCUDAHooks().getNumGPUs() : 0);
    } catch (...) {
        return 0;
    }
}

void tt_manual_seed(uint64_t seed) {
    try {
        at::manual_seed(seed);
    } catch (...) {
    }
}

void tt_set_num_threads(int n) {
    try {
        if (n > 0) at::set_num_threads(n);
    } catch (...) {
    }
    // at::set_num_threads sets OpenMP's and MKL's pools, not OpenBLAS's: a pthreads OpenBLAS (Debian's
    // libopenblas0-pthread) keeps one thread per core and splits every large product across them, so a worker asked
    // for one thread ran its matrix products on all cores, and two such workers on two cores oversubscribed them
    // (OpenBLAS's idle threads also spin in sched_yield between calls). Its pool follows the engine's thread count.
    using SetThreads = void (*)(int);
    static const SetThreads openblas = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
    if (n > 0 && openblas) openblas(n);
}

int tt_get_num_threads(void) { return at::get_num_threads(); }

int tt_set_grad_enabled(int enabled) {
    bool previous = c10::GradMode::is_enabled();
    c10::GradMode::set_enabled(enabled != 0);
    return previous ? 1 : 0;
}

int tt_is_grad_enabled(void) { return c10::GradMode::is_enabled() ? 1 : 0; }

// MARK: lifetime and metadata

void tt_free(tt_tensor t) { delete t; }

int tt_shallow_copy(tt_tensor t, tt_tensor *out) {
    return guarded([&] { *out = wrap(T(t)); });
}

int64_t tt_dim(tt_tensor t) { return t->t.dim(); }

int64_t tt_sizes(tt_tensor t, int64_t *sizes, int64_t cap) {
    auto s = t->t.sizes();
    for (int64_t i = 0; i < static_cast<int64_t>(s.size()) && i < cap; ++i) sizes[i] = s[i];
    return static_cast<int64_t>(s.size());
}

int64_t tt_numel(tt_tensor t) { return t->t.numel(); }
int tt_dtype(tt_tensor t) { return dtype_code(t->t.scalar_type()); }
int tt_device_type(tt_tensor t) { return t->t.device().is_cuda() ? TT_CUDA : TT_CPU; }
int tt_device_index(tt_tensor t) { return t->t.device().has_index() ? t->t.device().index() : 0; }
int tt_requires_grad(tt_tensor t) { return t->t.requires_grad() ? 1 : 0; }

int tt_set_requires_grad(tt_tensor t, int flag) {
    return guarded([&] { t->t.set_requires_grad(flag != 0); });
}

int64_t tt_describe(tt_tensor t, char *buf, int64_t cap) {
    std::string s;
    try {
        std::ostringstream os;
        os << t->t;
        s = os.str();
    } catch (...) {
        s = "<tensor>";
    }
    if (cap > 0) {
        size_t n = std::min(s.size(), static_cast<size_t>(cap - 1));
        std::memcpy(buf, s.data(), n);
        buf[n] = 0;
    }
    return static_cast<int64_t>(s.size());
}

// MARK: creation

int tt_zeros(const int64_t *shape, int64_t ndim, int dtype, int dev, int idx, tt_tensor *out) {
    return guarded([&] { *out = wrap(at::zeros(ints(shape, ndim), options(dtype, dev, idx))); });
}

int tt_ones(const int64_t *shape, int64_t ndim, int dtype, int dev, int idx, tt_tensor *out) {
    return guarded([&] { *out = wrap(at::ones(ints(shape, ndim), options(dtype, dev, idx))); });
}

int tt_full(const int64_t *shape, int64_t ndim, double value, int dtype, int dev, int idx, tt_tensor *out) {
    return guarded([&] {
        auto opts = options(dtype, dev, idx);
        at::Scalar v = at::isIntegralType(scalar_type(dtype), true) ? at::Scalar(static_cast<int64_t>(value)) : at::Scalar(value);
        if (scalar_type(dtype) == at::kBool) v = at::Scalar(value != 0);
        *out = wrap(at::full(ints(shape, ndim), v, opts));
    });
}

int tt_arange(double start, double end, double step, int dtype, int dev, int idx, tt_tensor *out) {
    return guarded([&] { *out = wrap(at::arange(start, end, step, options(dtype, dev, idx))); });
}

int tt_linspace(double start, double end, int64_t steps, int dtype, int dev, int idx, tt_tensor *out) {
    return guarded([&] { *out = wrap(at::linspace(start, end, steps, options(dtype, dev, idx))); });
}

int tt_eye(int64_t n, int dtype, int dev, int idx, tt_tensor *out) {
    return guarded([&] { *out = wrap(at::eye(n, options(dtype, dev, idx))); });
}

int tt_from_bytes(const void *data, int64_t nbytes, const int64_t *shape, int64_t ndim, int dtype, tt_tensor *out) {
    return guarded([&] {
        auto st = scalar_type(dtype);
        auto t = at::empty(ints(shape, ndim), at::TensorOptions().dtype(st));
        int64_t expected = t.numel() * static_cast<int64_t>(c10::elementSize(st));
        if (expected != nbytes)
            throw std::invalid_argument("byte count " + std::to_string(nbytes) + " does not match shape and dtype (" +
                                        std::to_string(expected) + " bytes expected)");
        if (nbytes > 0) std::memcpy(t.data_ptr(), data, static_cast<size_t>(nbytes));
        *out = wrap(std::move(t));
    });
}

int tt_to_bytes(tt_tensor h, void *data, int64_t nbytes) {
    return guarded([&] {
        auto t = T(h).detach().to(at::kCPU).contiguous();
        int64_t have = t.numel() * static_cast<int64_t>(t.element_size());
        if (have != nbytes)
            throw std::invalid_argument("buffer of " + std::to_string(nbytes) + " bytes for a tensor of " + std::to_string(have) + " bytes");
        if (nbytes > 0) std::memcpy(data, t.data_ptr(), static_cast<size_t>(nbytes));
    });
}

int tt_item_double(tt_tensor h, double *out) {
    return guarded([&] { *out = T(h).item<double>(); });
}

// MARK: random numbers

int tt_generator_new(uint64_t seed, tt_generator *out) {
    return guarded([&] { *out = new tt_generator_s{at::detail::createCPUGenerator(seed)}; });
}

void tt_generator_free(tt_generator g) { delete g; }

int tt_randn(const int64_t *shape, int64_t ndim, int dtype, int dev, int idx, tt_generator g, tt_tensor *out) {
    return guarded([&] { *out = wrap(on(at::randn(ints(shape, ndim), gen(g), options(dtype, TT_CPU, 0)), dev, idx)); });
}

int tt_rand(const int64_t *shape, int64_t ndim, int dtype, int dev, int idx, tt_generator g, tt_tensor *out) {
    return guarded([&] { *out = wrap(on(at::rand(ints(shape, ndim), gen(g), options(dtype, TT_CPU, 0)), dev, idx)); });
}

int tt_randint(int64_t low, int64_t high, const int64_t *shape, int64_t ndim, int dev, int idx, tt_generator g, tt_tensor *out) {
    return guarded([&] {
        *out = wrap(on(at::randint(low, high, ints(shape, ndim), gen(g), options(TT_INT64, TT_CPU, 0)), dev, idx));
    });
}

int tt_randperm(int64_t n, int dev, int idx, tt_generator g, tt_tensor *out) {
    return guarded([&] { *out = wrap(on(at::randperm(n, gen(g), options(TT_INT64, TT_CPU, 0)), dev, idx)); });
}

int tt_uniform_(tt_tensor h, double low, double high, tt_generator g) {
    return guarded([&] {
        at::NoGradGuard ng;
        auto &t = h->t;
        if (t.is_cpu()) {
            t.uniform_(low, high, gen(g));
        } else {
            t.copy_(at::empty(t.sizes(), t.options().device(at::kCPU)).uniform_(low, high, gen(g)));
        }
    });
}

int tt_normal_(tt_tensor h, double mean, double std, tt_generator g) {
    return guarded([&] {
        at::NoGradGuard ng;
        auto &t = h->t;
        if (t.is_cpu()) {
            t.normal_(mean, std, gen(g));
        } else {
            t.copy_(at::empty(t.sizes(), t.options().device(at::kCPU)).normal_(mean, std, gen(g)));
        }
    });
}

// MARK: conversion

int tt_to_device(tt_tensor h, int dev, int idx, tt_tensor *out) {
    return guarded([&] { *out = wrap(T(h).to(device(dev, idx))); });
}

int tt_to_dtype(tt_tensor h, int dtype, tt_tensor *out) {
    return guarded([&] { *out = wrap(T(h).to(scalar_type(dtype))); });
}

int tt_contiguous(tt_tensor h, tt_tensor *out) {
    return guarded([&] { *out = wrap(T(h).contiguous()); });
}

int tt_clone(tt_tensor h, tt_tensor *out) {
    return guarded([&] { *out = wrap(T(h).clone()); });
}

int tt_detach(tt_tensor h, tt_tensor *out) {
    return guarded([&] { *out = wrap(T(h).detach()); });
}

// MARK: elementwise

int tt_binary(int op, tt_tensor a, tt_tensor b, tt_tensor *out) {
    return guarded([&] { *out = wrap(binary(op, T(a), T(b))); });
}

int tt_binary_scalar(int op, tt_tensor a, double s, tt_tensor *out) {
    return guarded([&] { *out = wrap(binary_scalar(op, T(a), scalar_for(T(a), s))); });
}

int tt_scalar_binary(int op, double s, tt_tensor a, tt_tensor *out) {
    return guarded([&] {
        const auto &x = T(a);
        at::Scalar v = scalar_for(x, s);
        switch (op) {
        case TT_SUB: *out = wrap(at::rsub(x, v)); return;
        case TT_DIV: *out = wrap(at::mul(at::reciprocal(x), v)); return;
        case TT_POW: *out = wrap(at::pow(v, x)); return;
        default: *out = wrap(binary_scalar(op, x, v)); return;
        }
    });
}

int tt_unary(int op, tt_tensor a, tt_tensor *out) {
    return guarded([&] { *out = wrap(unary(op, T(a))); });
}

int tt_clamp(tt_tensor a, double lo, double hi, int has_lo, int has_hi, tt_tensor *out) {
    return guarded([&] {
        c10::optional<at::Scalar> l, h;
        if (has_lo) l = at::Scalar(lo);
        if (has_hi) h = at::Scalar(hi);
        *out = wrap(at::clamp(T(a), l, h));
    });
}

int tt_where(tt_tensor cond, tt_tensor a, tt_tensor b, tt_tensor *out) {
    return guarded([&] { *out = wrap(at::where(T(cond), T(a), T(b))); });
}

int tt_masked_fill(tt_tensor a, tt_tensor mask, double value, tt_tensor *out) {
    return guarded([&] { *out = wrap(at::masked_fill(T(a), T(mask), scalar_for(T(a), value))); });
}

int tt_leaky_relu(tt_tensor a, double slope, tt_tensor *out) {
    return guarded([&] { *out = wrap(at::leaky_relu(T(a), slope)); });
}

// MARK: reductions

int tt_reduce(int op, tt_tensor a, const int64_t *dims, int64_t ndims, int keepdim, int64_t correction, tt_tensor *out) {
    return guarded([&] {
        const auto &x = T(a);
        bool all = ndims == 0;
        auto d = ints(dims, ndims);
        bool k = keepdim != 0;
        switch (op) {
        case TT_SUM: *out = wrap(all ? (k ? x.sum(at::IntArrayRef(), true) : x.sum()) : x.sum(d, k)); return;
        case TT_MEAN: *out = wrap(all ? (k ? x.mean(at::IntArrayRef(), true) : x.mean()) : x.mean(d, k)); return;
        case TT_AMAX: *out = wrap(at::amax(x, d, k)); return;
        case TT_AMIN: *out = wrap(at::amin(x, d, k)); return;
        case TT_ARGMAX:
        case TT_ARGMIN: {
            if (ndims > 1) throw std::invalid_argument("argmax/argmin take at most one dimension");
            c10::optional<int64_t> dim;
            if (ndims == 1) dim = dims[0];
            *out = wrap(op == TT_ARGMAX ? at::argmax(x, dim, k) : at::argmin(x, dim, k));
            return;
        }
        case TT_VAR:
        case TT_STD: {
            at::OptionalIntArrayRef od = all ? at::OptionalIntArrayRef(c10::nullopt) : at::OptionalIntArrayRef(d);
            *out = wrap(op == TT_VAR ? at::var(x, od, correction, k) : at::std(x, od, correction, k));
            return;
        }
        case TT_LOGSUMEXP: {
            std::vector<int64_t> alld;
            if (all) for (int64_t i = 0; i < x.dim(); ++i) alld.push_back(i);
            *out = wrap(at::logsumexp(x, all ? at::IntArrayRef(alld) : d, k));
            return;
        }
        case TT_PROD: {
            if (all) { *out = wrap(x.prod()); return; }
            if (ndims != 1) throw std::invalid_argument("prod takes one dimension or none");
            *out = wrap(x.prod(dims[0], k));
            return;
        }
        case TT_NORM: *out = wrap(all ? at::norm(x) : at::norm(x, 2, d, k)); return;
        case TT_ANY:
        case TT_ALL: {
            at::Tensor r = x;
            if (all) { *out = wrap(op == TT_ANY ? x.any() : x.all()); return; }
            std::vector<int64_t> sorted(d.begin(), d.end());
            std::sort(sorted.rbegin(), sorted.rend());
            for (auto dim : sorted) r = op == TT_ANY ? r.any(dim, k) : r.all(dim, k);
            *out = wrap(r);
            return;
        }
        }
        throw std::invalid_argument("unknown reduction " + std::to_string(op));
    });
}

int tt_cumsum(tt_tensor a, int64_t dim, tt_tensor *out) {
    return guarded([&] { *out = wrap(at::cumsum(T(a), dim)); });
}

int tt_topk(tt_tensor a, int64_t k, int64_t dim, int largest, tt_tensor *values, tt_tensor *indices) {
    return guarded([&] {
        auto r = at::topk(T(a), k, dim, largest != 0, true);
        *values = wrap(std::get<0>(r));
        *indices = wrap(std::get<1>(r));
    });
}

int tt_sort(tt_tensor a, int64_t dim, int descending, tt_tensor *values, tt_tensor *indices) {
    return guarded([&] {
        auto r = at::sort(T(a), dim, descending != 0);
        *values = wrap(std::get<0>(r));
        *indices = wrap(std::get<1>(r));
    });
}

// MARK: linear algebra and networks

int tt_matmul(tt_tensor a, tt_tensor b, tt_tensor *out) {
    return guarded([&] { *out = wrap(at::matmul(T(a), T(b))); });
}

int tt_linear(tt_tensor x, tt_tensor w, tt_tensor b, tt_tensor *out) {
    return guarded([&] { *out = wrap(at::linear(T(x), T(w), opt(b))); });
}

int tt_conv(tt_tensor x, tt_tensor w, tt_tensor b, int64_t ns, const int64_t *stride, const int64_t *padding,
            const int64_t *dilation, int64_t groups, tt_tensor *out) {
    return guarded([&] {
        check_spatial(ns);
        auto s = ints(stride, ns), p = ints(padding, ns), d = ints(dilation, ns);
        *out = wrap(ns == 1 ? at::conv1d(T(x), T(w), opt(b), s, p, d, groups) : at::conv2d(T(x), T(w), opt(b), s, p, d, groups));
    });
}

int tt_max_pool(tt_tensor x, int64_t ns, const int64_t *kernel, const int64_t *stride, const int64_t *padding,
                const int64_t *dilation, int ceil_mode, tt_tensor *out) {
    return guarded([&] {
        check_spatial(ns);
        auto k = ints(kernel, ns), s = ints(stride, ns), p = ints(padding, ns), d = ints(dilation, ns);
        *out = wrap(ns == 1 ? at::max_pool1d(T(x), k, s, p, d, ceil_mode != 0) : at::max_pool2d(T(x), k, s, p, d, ceil_mode != 0));
    });
}

int tt_avg_pool(tt_tensor x, int64_t ns, const int64_t *kernel, const int64_t *stride, const int64_t *padding,
                int ceil_mode, int count_include_pad, tt_tensor *out) {
    return guarded([&] {
        check_spatial(ns);
        auto k = ints(kernel, ns), s = ints(stride, ns), p = ints(padding, ns);
        *out = wrap(ns == 1 ? at::avg_pool1d(T(x), k, s, p, ceil_mode != 0, count_include_pad != 0)
                            : at::avg_pool2d(T(x), k, s, p, ceil_mode != 0, count_include_pad != 0));
    });
}

int tt_adaptive_avg_pool(tt_tensor x, int64_t ns, const int64_t *output_size, tt_tensor *out) {
    return guarded([&] {
        check_spatial(ns);
        auto o = ints(output_size, ns);
        *out = wrap(ns == 1 ? at::adaptive_avg_pool1d(T(x), o) : at::adaptive_avg_pool2d(T(x), o));
    });
}

int tt_adaptive_max_pool(tt_tensor x, int64_t ns, const int64_t *output_size, tt_tensor *out) {
    return guarded([&] {
        check_spatial(ns);
        auto o = ints(output_size, ns);
        *out = wrap(std::get<0>(ns == 1 ? at::adaptive_max_pool1d(T(x), o) : at::adaptive_max_pool2d(T(x), o)));
    });
}

int tt_batch_norm(tt_tensor x, tt_tensor weight, tt_tensor bias, tt_tensor running_mean, tt_tensor running_var,
                  int training, double momentum, double eps, tt_tensor *out) {
    return guarded([&] {
        // As Python's F.batch_norm (ATen does not check): with one value per channel the batch variance is 0 and
        // the unbiased running-variance update divides by zero, silently turning running_var into NaN.
        const auto &input = T(x);
        if (training != 0 && input.dim() >= 2 && input.size(1) > 0 && input.numel() == input.size(1)) {
            std::ostringstream os;
            os << "expected more than 1 value per channel when training, got input size " << input.sizes();
            throw std::invalid_argument(os.str());
        }
        *out = wrap(at::batch_norm(T(x), opt(weight), opt(bias), opt(running_mean), opt(running_var), training != 0,
                                   momentum, eps, /*cudnn_enabled=*/true));
    });
}

int tt_layer_norm(tt_tensor x, const int64_t *normalized_shape, int64_t ndim, tt_tensor weight, tt_tensor bias,
                  double eps, tt_tensor *out) {
    return guarded([&] { *out = wrap(at::layer_norm(T(x), ints(normalized_shape, ndim), opt(weight), opt(bias), eps)); });
}

int tt_softmax(tt_tensor x, int64_t dim, tt_tensor *out) {
    return guarded([&] { *out = wrap(at::softmax(T(x), dim)); });
}

int tt_log_softmax(tt_tensor x, int64_t dim, tt_tensor *out) {
    return guarded([&] { *out = wrap(at::log_softmax(T(x), dim)); });
}

int tt_dropout(tt_tensor x, double p, int training, tt_tensor *out) {
    return guarded([&] {
        if (p < 0 || p > 1) throw std::invalid_argument("dropout probability must be in [0, 1], got " + std::to_string(p));
        *out = wrap(at::dropout(T(x), p, training != 0));
    });
}

int tt_embedding(tt_tensor weight, tt_tensor indices, int64_t padding_idx, tt_tensor *out) {
    return guarded([&] {
        const auto &w = T(weight);
        const auto &i = T(indices);
        if (i.numel() > 0) {
            auto lo = i.min().item<int64_t>(), hi = i.max().item<int64_t>();
            if (lo < 0 || hi >= w.size(0))
                throw std::out_of_range("embedding index out of range: indices span [" + std::to_string(lo) + ", " +
                                        std::to_string(hi) + "] but the table has " + std::to_string(w.size(0)) + " rows");
        }
        *out = wrap(at::embedding(w, i, padding_idx));
    });
}

int tt_one_hot(tt_tensor indices, int64_t num_classes, tt_tensor *out) {
    return guarded([&] { *out = wrap(at::one_hot(T(indices), num_classes)); });
}

int tt_rnn(int mode, tt_tensor x, tt_tensor h0, tt_tensor c0, const tt_tensor *params, int64_t nparams,
           int has_biases, int64_t num_layers, double dropout, int training, tt_tensor *out, tt_tensor *hn, tt_tensor *cn) {
    return guarded([&] {
        auto ps = list(params, nparams);
        int64_t per_layer = has_biases ? 4 : 2;
        if (nparams != per_layer * num_layers)
            throw std::invalid_argument("rnn: expected " + std::to_string(per_layer * num_layers) + " parameter tensors, got " + std::to_string(nparams));
        if (mode == 0) {
            auto r = at::rnn_tanh(T(x), T(h0), ps, has_biases != 0, num_layers, dropout, training != 0, false, true);
            *out = wrap(std::get<0>(r));
            *hn = wrap(std::get<1>(r));
        } else if (mode == 1) {
            if (c0 == nullptr) throw std::invalid_argument("lstm needs an initial cell state");
            auto r = at::lstm(T(x), {T(h0), T(c0)}, ps, has_biases != 0, num_layers, dropout, training != 0, false, true);
            *out = wrap(std::get<0>(r));
            *hn = wrap(std::get<1>(r));
            *cn = wrap(std::get<2>(r));
        } else {
            throw std::invalid_argument("unknown recurrent mode " + std::to_string(mode));
        }
    });
}

// MARK: losses

int tt_cross_entropy(tt_tensor logits, tt_tensor target, int64_t ignore_index, int reduction, double label_smoothing,
                     tt_tensor *out) {
    return guarded([&] {
        *out = wrap(at::cross_entropy_loss(T(logits), T(target), c10::nullopt, reduction_code(reduction), ignore_index,
                                           label_smoothing));
    });
}

int tt_nll_loss(tt_tensor log_probs, tt_tensor target, int64_t ignore_index, int reduction, tt_tensor *out) {
    return guarded([&] {
        *out = wrap(at::nll_loss_nd(T(log_probs), T(target), c10::nullopt, reduction_code(reduction), ignore_index));
    });
}

int tt_mse_loss(tt_tensor a, tt_tensor b, int reduction, tt_tensor *out) {
    return guarded([&] { *out = wrap(at::mse_loss(T(a), T(b), reduction_code(reduction))); });
}

int tt_kl_div(tt_tensor input, tt_tensor target, int reduction, int log_target, tt_tensor *out) {
    return guarded([&] {
        const auto &x = T(input);
        if (reduction == 3) {
            auto s = at::kl_div(x, T(target), at::Reduction::Sum, log_target != 0);
            *out = wrap(x.dim() > 0 ? s / static_cast<double>(x.size(0)) : s);
        } else {
            *out = wrap(at::kl_div(x, T(target), reduction_code(reduction), log_target != 0));
        }
    });
}

// MARK: shape

int tt_reshape(tt_tensor a, const int64_t *shape, int64_t ndim, tt_tensor *out) {
    return guarded([&] { *out = wrap(T(a).reshape(ints(shape, ndim))); });
}

int tt_view(tt_tensor a, const int64_t *shape, int64_t ndim, tt_tensor *out) {
    return guarded([&] { *out = wrap(T(a).view(ints(shape, ndim))); });
}

int tt_permute(tt_tensor a, const int64_t *dims, int64_t ndim, tt_tensor *out) {
    return guarded([&] { *out = wrap(T(a).permute(ints(dims, ndim))); });
}

int tt_transpose(tt_tensor a, int64_t d0, int64_t d1, tt_tensor *out) {
    return guarded([&] { *out = wrap(T(a).transpose(d0, d1)); });
}

int tt_expand(tt_tensor a, const int64_t *shape, int64_t ndim, tt_tensor *out) {
    return guarded([&] { *out = wrap(T(a).expand(ints(shape, ndim))); });
}

int tt_squeeze(tt_tensor a, int64_t dim, int all, tt_tensor *out) {
    return guarded([&] { *out = wrap(all ? T(a).squeeze() : T(a).squeeze(dim)); });
}

int tt_unsqueeze(tt_tensor a, int64_t dim, tt_tensor *out) {
    return guarded([&] { *out = wrap(T(a).unsqueeze(dim)); });
}

int tt_flatten(tt_tensor a, int64_t start, int64_t end, tt_tensor *out) {
    return guarded([&] { *out = wrap(T(a).flatten(start, end)); });
}

int tt_cat(const tt_tensor *ts, int64_t n, int64_t dim, tt_tensor *out) {
    return guarded([&] { *out = wrap(at::cat(list(ts, n), dim)); });
}

int tt_stack(const tt_tensor *ts, int64_t n, int64_t dim, tt_tensor *out) {
    return guarded([&] { *out = wrap(at::stack(list(ts, n), dim)); });
}

int tt_slice(tt_tensor a, int64_t dim, int64_t start, int64_t end, int64_t step, tt_tensor *out) {
    return guarded([&] { *out = wrap(T(a).slice(dim, start, end, step)); });
}

int tt_select(tt_tensor a, int64_t dim, int64_t index, tt_tensor *out) {
    return guarded([&] { *out = wrap(T(a).select(dim, index)); });
}

int tt_index_select(tt_tensor a, int64_t dim, tt_tensor index, tt_tensor *out) {
    return guarded([&] { *out = wrap(at::index_select(T(a), dim, T(index))); });
}

int tt_gather(tt_tensor a, int64_t dim, tt_tensor index, tt_tensor *out) {
    return guarded([&] { *out = wrap(at::gather(T(a), dim, T(index))); });
}

int tt_tril(tt_tensor a, int64_t diagonal, tt_tensor *out) {
    return guarded([&] { *out = wrap(at::tril(T(a), diagonal)); });
}

int tt_triu(tt_tensor a, int64_t diagonal, tt_tensor *out) {
    return guarded([&] { *out = wrap(at::triu(T(a), diagonal)); });
}

int tt_roll(tt_tensor a, int64_t shift, int64_t dim, tt_tensor *out) {
    return guarded([&] { *out = wrap(at::roll(T(a), {shift}, {dim})); });
}

int tt_repeat(tt_tensor a, const int64_t *repeats, int64_t ndim, tt_tensor *out) {
    return guarded([&] { *out = wrap(T(a).repeat(ints(repeats, ndim))); });
}

// MARK: autograd

int tt_backward(tt_tensor t, tt_tensor grad, int retain_graph) {
    return guarded([&] {
        const auto &x = T(t);
        if (!x.requires_grad()) throw std::invalid_argument("backward() on a tensor that does not require grad and has no grad_fn");
        if (grad == nullptr && x.numel() != 1)
            throw std::invalid_argument("backward() without a gradient needs a scalar, got " + std::to_string(x.numel()) + " elements");
        // As Python's torch.autograd.backward: the C++ engine would silently sum a larger gradient down to the
        // output's shape.
        if (grad != nullptr && grad->t.sizes() != x.sizes()) {
            std::ostringstream os;
            os << "backward() gradient has shape " << grad->t.sizes() << " but the output has shape " << x.sizes();
            throw std::invalid_argument(os.str());
        }
        x.backward(grad ? grad->t : at::Tensor(), retain_graph != 0 ? c10::optional<bool>(true) : c10::nullopt);
    });
}

int tt_grad(tt_tensor t, tt_tensor *out) {
    return guarded([&] {
        const auto &g = T(t).grad();
        *out = g.defined() ? wrap(g) : nullptr;
    });
}

int tt_zero_grad(tt_tensor t) {
    return guarded([&] {
        auto &g = t->t.mutable_grad();
        if (g.defined()) g.reset();
    });
}

int tt_autograd_grad(tt_tensor output, const tt_tensor *inputs, int64_t n, int create_graph, tt_tensor *grads) {
    return guarded([&] {
        // The C++ API would silently seed a non-scalar output with ones (a gradient of its sum); Python and
        // tt_backward refuse that, so refuse it here too.
        if (T(output).numel() != 1)
            throw std::invalid_argument("gradients of a non-scalar output (" + std::to_string(T(output).numel()) +
                                        " elements); reduce it to a scalar first");
        auto gs = torch::autograd::grad({T(output)}, list(inputs, n), {}, c10::nullopt, create_graph != 0, /*allow_unused=*/true);
        for (int64_t i = 0; i < n; ++i) grads[i] = gs[static_cast<size_t>(i)].defined() ? wrap(gs[static_cast<size_t>(i)]) : nullptr;
    });
}

// MARK: in place

int tt_add_(tt_tensor a, tt_tensor b, double alpha) {
    return guarded([&] { a->t.add_(T(b), alpha); });
}
int tt_mul_scalar_(tt_tensor a, double s) {
    return guarded([&] { a->t.mul_(s); });
}
int tt_add_scalar_(tt_tensor a, double s) {
    return guarded([&] { a->t.add_(s); });
}
int tt_addcmul_(tt_tensor a, tt_tensor b, tt_tensor c, double value) {
    return guarded([&] { a->t.addcmul_(T(b), T(c), value); });
}
int tt_addcdiv_(tt_tensor a, tt_tensor b, tt_tensor c, double value) {
    return guarded([&] { a->t.addcdiv_(T(b), T(c), value); });
}
int tt_lerp_(tt_tensor a, tt_tensor end, double weight) {
    return guarded([&] { a->t.lerp_(T(end), weight); });
}
int tt_copy_(tt_tensor dst, tt_tensor src) {
    return guarded([&] { dst->t.copy_(T(src)); });
}
int tt_fill_(tt_tensor a, double value) {
    return guarded([&] { a->t.fill_(value); });
}
int tt_zero_(tt_tensor a) {
    return guarded([&] { a->t.zero_(); });
}

int tt_adam_step(tt_tensor param, tt_tensor grad, tt_tensor exp_avg, tt_tensor exp_avg_sq, int64_t step, double lr,
                 double beta1, double beta2, double eps, double weight_decay, int decoupled) {
    return guarded([&] {
        at::NoGradGuard ng;
        auto &p = T(param);
        at::Tensor g = T(grad);
        // Validate everything before the first in-place write, so a failed call changes nothing (a broadcastable
        // but smaller gradient would otherwise be accepted, and a bad state tensor would fail halfway).
        if (step < 1) throw std::invalid_argument("adam step counts from 1, got " + std::to_string(step));
        const std::pair<const char *, const at::Tensor *> others[] = {
            {"grad", &g}, {"exp_avg", &T(exp_avg)}, {"exp_avg_sq", &T(exp_avg_sq)}};
        for (const auto &[name, t] : others) {
            if (t->sizes() != p.sizes() || t->scalar_type() != p.scalar_type() || t->device() != p.device()) {
                std::ostringstream os;
                os << name << " has shape " << t->sizes() << ", dtype " << t->scalar_type() << " on " << t->device()
                   << " but the parameter has shape " << p.sizes() << ", dtype " << p.scalar_type() << " on " << p.device();
                throw std::invalid_argument(os.str());
            }
        }
        double bc1 = 1 - std::pow(beta1, static_cast<double>(step));
        double bc2 = 1 - std::pow(beta2, static_cast<double>(step));
        auto &m = exp_avg->t, &v = exp_avg_sq->t;
        if (p.is_cpu() && (p.scalar_type() == at::kFloat || p.scalar_type() == at::kDouble) && p.is_contiguous() &&
            g.is_contiguous() && m.is_contiguous() && v.is_contiguous()) {
            // One pass over the four tensors instead of seven ATen ops and two temporaries (each op a pass of its
            // own: about 17 passes of the parameter's size). Each element takes torch.optim.Adam's operations in
            // its order and in the parameter's precision: decay, lerp, mul + addcmul, sqrt / sqrt(bc2) + eps,
            // addcdiv.
            AT_DISPATCH_FLOATING_TYPES(p.scalar_type(), "adamStep", [&] {
                scalar_t *pp = p.data_ptr<scalar_t>(), *mp = m.data_ptr<scalar_t>(), *vp = v.data_ptr<scalar_t>();
                const scalar_t *gp = g.data_ptr<scalar_t>();
                const auto weight = static_cast<scalar_t>(1 - beta1), b2 = static_cast<scalar_t>(beta2),
                           b2w = static_cast<scalar_t>(1 - beta2), root = static_cast<scalar_t>(std::sqrt(bc2)),
                           epsilon = static_cast<scalar_t>(eps), stepSize = static_cast<scalar_t>(-lr / bc1),
                           shrink = static_cast<scalar_t>(1 - lr * weight_decay), l2 = static_cast<scalar_t>(weight_decay);
                const bool decay = weight_decay != 0, lowWeight = std::abs(1 - beta1) < 0.5;
                for (int64_t i = 0, count = p.numel(); i < count; ++i) {
                    scalar_t pv = pp[i], gv = gp[i];
                    if (decay) {
                        if (decoupled) pv = pv * shrink;
                        else gv = gv + l2 * pv;
                    }
                    const scalar_t mv = lowWeight ? mp[i] + weight * (gv - mp[i]) : gv - (gv - mp[i]) * (1 - weight);
                    const scalar_t vv = vp[i] * b2 + b2w * gv * gv;
                    pp[i] = pv + stepSize * mv / (std::sqrt(vv) / root + epsilon);
                    mp[i] = mv;
                    vp[i] = vv;
                }
            });
            return;
        }
        if (weight_decay != 0) {
            if (decoupled) p.mul_(1 - lr * weight_decay);
            else g = g.add(p, weight_decay);
        }
        exp_avg->t.lerp_(g, 1 - beta1);
        exp_avg_sq->t.mul_(beta2).addcmul_(g, g, 1 - beta2);
        auto denom = (exp_avg_sq->t.sqrt() / std::sqrt(bc2)).add_(eps);
        p.addcdiv_(exp_avg->t, denom, -lr / bc1);
    });
}

int tt_clip_grad_norm(const tt_tensor *grads, int64_t n, double max_norm, double *total_norm) {
    return guarded([&] {
        at::NoGradGuard ng;
        auto gs = list(grads, n);
        if (gs.empty()) { *total_norm = 0; return; }
        std::vector<at::Tensor> norms;
        norms.reserve(gs.size());
        // Each norm in the gradient's own precision (as torch.nn.utils.clip_grad_norm_), so float64 gradients
        // are not rounded to float32; half-precision gradients are accumulated in float32. Combined in float64.
        for (auto &g : gs) {
            auto st = g.scalar_type();
            auto n = (st == at::kDouble || st == at::kFloat) ? at::norm(g) : at::norm(g.to(at::kFloat));
            norms.push_back(n.to(at::kDouble));
        }
        double total = at::norm(at::stack(norms)).item<double>();
        *total_norm = total;
        double coef = max_norm / (total + 1e-6);
        if (coef < 1)
            for (auto &g : gs) g.mul_(coef);
    });
}

int tt_linear_cka(tt_tensor x, tt_tensor y, int gram, double eps, tt_tensor *out) {
    return guarded([&] {
        const auto &xt = T(x), &yt = T(y);
        if (xt.dim() != 2 || yt.dim() != 2 || xt.size(0) != yt.size(0)) {
            std::ostringstream os;
            os << "linear CKA needs x [n, p] and y [n, q] with the same n, got " << xt.sizes() << " and " << yt.sizes();
            throw std::invalid_argument(os.str());
        }
        if (yt.requires_grad()) throw std::invalid_argument("the fused linear CKA gives y no gradient, but y requires grad");
        *out = wrap(LinearCKAFunction::apply(xt, yt, gram != 0, eps));
    });
}

} // extern "C"

// ======================================================================================================
// MARK: guide cache — linear CKA against a precomputed centred guide Gram (issue 13; Guidance.GuideCache)
// ======================================================================================================

namespace {

/// Σ_t CKA(x_t, Lc_t): linear CKA of each x_t [n_t, p_t] against a constant, already centred guide Gram matrix
/// Lc_t [n_t, n_t] (Lc = HYYᵀH, taken from the guide cache instead of a guide forward pass), summed, as one autograd
/// node for all the terms of a step (one node instead of, per term, a node of its own plus the 1 − sim and + nodes
/// of the loss). Each term is the Gram branch of LinearCKAFunction with l given: value a / s, a = ⟨Kc, Lc⟩,
/// b = ⟨Kc, Kc⟩, c = ⟨Lc, Lc⟩, s = sqrt(b·c + ε); ∂/∂x = (2g/s)·(Lc − (a·c/s²)·Kc)·Xc. Kc = XcXcᵀ is symmetric: on
/// the CPU it is one BLAS `syrk` (half the multiply-adds). The scalars and the backward's n×n factor are
/// LinearCKAFunction's (`gramScalars`, `gramFormGradient`: one pass each on the CPU, in double).
struct CenteredGramCKAFunction : public torch::autograd::Function<CenteredGramCKAFunction> {
    // TensorList, not variable_list: autograd takes a std::vector argument for a constant (no edges to x).
    static at::Tensor forward(torch::autograd::AutogradContext *ctx, at::TensorList xs, at::TensorList lcs,
                              at::TensorList orders, double eps) {
        torch::autograd::variable_list saved;
        saved.reserve(xs.size() * 7);
        at::Tensor total;
        for (size_t t = 0; t < xs.size(); ++t) {
            // Lc's rows may come in another order than x's (`orders[t]`, positions of x; empty: x's own order): CKA
            // is invariant under permuting both sides' examples alike, so x's rows are taken in Lc's order.
            auto xc = centeredRows(xs[t], orders[t]);
            auto k = symmetricGram(xc);  // [n, n]
            const auto v = gramScalars(k, lcs[t], eps);
            saved.insert(saved.end(), {xc, k, lcs[t], v.a, v.c, v.s, orders[t]});
            auto term = v.a / v.s;
            total = total.defined() ? total + term : term;
        }
        ctx->save_for_backward(saved);
        return total;
    }

    static torch::autograd::variable_list backward(torch::autograd::AutogradContext *ctx,
                                                   torch::autograd::variable_list grads) {
        auto v = ctx->get_saved_variables();
        const size_t count = v.size() / 7;
        // One gradient per x, then none for the Gram matrices, the orders and eps.
        torch::autograd::variable_list result(3 * count + 1);
        for (size_t t = 0; t < count; ++t) {
            const auto *s = &v[7 * t];
            // Row i of the gradient goes back to x's row order[i] (every row written once).
            result[t] = gramFormGradient(s[0], s[1], s[2], {s[3], s[4], s[5]}, grads[0], s[6]);
        }
        return result;
    }
};

/// The row order of one term of tt_linear_cka_centered_gram on x's device: int64 [n], a permutation of x's rows
/// (the op reads x's rows through it and writes the gradient back through it: every row exactly once), or empty.
at::Tensor checkedRowOrder(tt_tensor order, const at::Tensor &x, size_t term) {
    if (order == nullptr) return at::empty({0}, x.options().dtype(at::kLong));
    auto rows = T(order).to(x.device(), at::kLong).contiguous();
    const std::string which = "term " + std::to_string(term) + ": ";
    if (rows.dim() != 1 || rows.size(0) != x.size(0)) {
        std::ostringstream os;
        os << which << "the Gram block's row order needs one position per row of x [" << x.size(0) << "], got " << rows.sizes();
        throw std::invalid_argument(os.str());
    }
    auto check = rows.cpu();
    std::vector<bool> seen(static_cast<size_t>(x.size(0)), false);
    for (int64_t i = 0; i < check.size(0); ++i) {
        const int64_t r = check.data_ptr<int64_t>()[i];
        if (r < 0 || r >= x.size(0) || seen[static_cast<size_t>(r)])
            throw std::invalid_argument(which + "the Gram block's row order must be a permutation of x's rows 0..<" +
                                        std::to_string(x.size(0)) + "; position " + std::to_string(i) + " is " +
                                        std::to_string(r));
        seen[static_cast<size_t>(r)] = true;
    }
    return rows;
}

} // namespace

extern "C" int tt_linear_cka_centered_gram(const tt_tensor *xs, const tt_tensor *lcs, const tt_tensor *orders,
                                           int64_t count, double eps, tt_tensor *out) {
    return guarded([&] {
        if (count < 1) throw std::invalid_argument("linear CKA against centred Grams needs at least one term");
        torch::autograd::variable_list x, lc, rows;
        for (int64_t t = 0; t < count; ++t) {
            const auto &xt = T(xs[t]), &lt = T(lcs[t]);
            if (xt.dim() != 2 || lt.dim() != 2 || lt.size(0) != xt.size(0) || lt.size(1) != xt.size(0)) {
                std::ostringstream os;
                os << "term " << t << ": linear CKA against a centred Gram needs x [n, p] and lc [n, n], got "
                   << xt.sizes() << " and " << lt.sizes();
                throw std::invalid_argument(os.str());
            }
            if (lt.requires_grad())
                throw std::invalid_argument("term " + std::to_string(t) + ": the centred guide Gram gets no gradient, but it requires grad");
            x.push_back(xt);
            lc.push_back(lt);
            rows.push_back(checkedRowOrder(orders ? orders[t] : nullptr, xt, static_cast<size_t>(t)));
        }
        *out = wrap(CenteredGramCKAFunction::apply(at::TensorList(x), at::TensorList(lc), at::TensorList(rows), eps));
    });
}

/// The centred block H·G[rows][:, rows]·H of a symmetric Gram matrix g [N, N] (float32/float64) for the examples
/// `rows` (int64 [n]): the batch's centred guide Gram from a guide cache. On the CPU the block comes in ascending
/// order of `rows` and *order receives the batch positions in that order (int64 [n]); its rows are then read
/// forwards through g, each from its diagonal on (one read per pair: g must be exactly symmetric, as `GuideCache`
/// keeps it), so the reads, bound by memory, run at the speed of the prefetchers instead of at random positions, and
/// the writes stay contiguous; the triangle is centred in double and mirrored. Elsewhere (index_select) the block
/// comes in the batch's order and *order is NULL.
extern "C" int tt_gram_block_centered(tt_tensor gram, tt_tensor rows, tt_tensor *out, tt_tensor *order) {
    return guarded([&] {
        const auto &g = T(gram);
        auto r = T(rows).to(at::kLong).contiguous();
        if (g.dim() != 2 || g.size(0) != g.size(1) || r.dim() != 1) {
            std::ostringstream os;
            os << "a Gram block needs a square gram [N, N] and rows [n], got " << g.sizes() << " and " << r.sizes();
            throw std::invalid_argument(os.str());
        }
        const int64_t big = g.size(0), n = r.size(0);
        *order = nullptr;
        if (g.is_cpu() && (g.scalar_type() == at::kFloat || g.scalar_type() == at::kDouble) && n > 0) {
            auto gc = g.contiguous();
            auto rc = r.cpu();
            const int64_t *ri = rc.data_ptr<int64_t>();
            for (int64_t a = 0; a < n; ++a)
                if (ri[a] < 0 || ri[a] >= big) throw std::invalid_argument("Gram block row out of range");
            auto positions = at::empty({n}, rc.options());
            int64_t *pos = positions.data_ptr<int64_t>();
            for (int64_t a = 0; a < n; ++a) pos[a] = a;
            std::stable_sort(pos, pos + n, [&](int64_t x, int64_t y) { return ri[x] < ri[y]; });
            std::vector<int64_t> sorted(static_cast<size_t>(n));
            for (int64_t i = 0; i < n; ++i) sorted[static_cast<size_t>(i)] = ri[pos[i]];
            auto block = at::empty({n, n}, gc.options());
            // One pass reads the upper triangle and sums every row (row i: its own part plus column i of the rows
            // above), one centres the upper triangle, one mirrors it tile by tile (the centred block is symmetric).
            // The reads take `lanes` rows of the block at once: four streams through memory instead of one (a
            // standalone loop of four 256-row blocks of 3600×3600 Grams: 0.9–1.1 → 0.6–0.8 ms).
            auto fill = [&](auto *src, auto *dst) {
                using Scalar = std::remove_const_t<std::remove_pointer_t<decltype(src)>>;
                constexpr int64_t lanes = 4;
                std::vector<double> means(static_cast<size_t>(n), 0.0);
                const int64_t *col = sorted.data();
                for (int64_t i = 0; i < n; i += lanes) {
                    const int64_t count = std::min(lanes, n - i);
                    const Scalar *row[lanes];
                    Scalar *line[lanes];
                    double rowSum[lanes] = {};
                    for (int64_t u = 0; u < count; ++u) { row[u] = src + col[i + u] * big; line[u] = dst + (i + u) * n; }
                    // The triangle's corner inside these rows, then the columns right of it, all rows at once.
                    for (int64_t u = 0; u < count; ++u)
                        for (int64_t j = i + u; j < i + count; ++j) {
                            const Scalar value = row[u][col[j]];
                            line[u][j] = value;
                            rowSum[u] += value;
                            means[static_cast<size_t>(j)] += value;
                        }
                    if (count == lanes) {
                        for (int64_t j = i + lanes; j < n; ++j) {
                            const int64_t c = col[j];
                            const Scalar v0 = row[0][c], v1 = row[1][c], v2 = row[2][c], v3 = row[3][c];
                            line[0][j] = v0; line[1][j] = v1; line[2][j] = v2; line[3][j] = v3;
                            rowSum[0] += v0; rowSum[1] += v1; rowSum[2] += v2; rowSum[3] += v3;
                            means[static_cast<size_t>(j)] += (static_cast<double>(v0) + v1) + (static_cast<double>(v2) + v3);
                        }
                    }
                    for (int64_t u = 0; u < count; ++u)
                        means[static_cast<size_t>(i + u)] += rowSum[u] - static_cast<double>(line[u][i + u]);
                }
                double total = 0;
                for (auto &mean : means) { total += mean; mean /= static_cast<double>(n); }
                const double mean = total / static_cast<double>(n * n);
                for (int64_t i = 0; i < n; ++i) {
                    const double shift = mean - means[static_cast<size_t>(i)];
                    Scalar *line = dst + i * n;
                    for (int64_t j = i; j < n; ++j)
                        line[j] = static_cast<Scalar>(static_cast<double>(line[j]) + shift - means[static_cast<size_t>(j)]);
                }
                mirrorUpperTriangle(dst, n);
            };
            if (gc.scalar_type() == at::kFloat) fill(gc.data_ptr<float>(), block.data_ptr<float>());
            else fill(gc.data_ptr<double>(), block.data_ptr<double>());
            *out = wrap(block);
            *order = wrap(positions);
            return;
        }
        auto rd = r.to(g.device());
        auto block = g.index_select(0, rd).index_select(1, rd);
        *out = wrap(block - block.mean(0, true) - block.mean(1, true) + block.mean());
    });
}
