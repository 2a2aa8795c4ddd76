// ctorch.h: a plain C ABI over libtorch.
//
// Rules every entry point follows:
// - Tensors cross the boundary as opaque handles (`tt_tensor`), each owning one reference to an
//   `at::Tensor`. The caller frees every handle it receives with `tt_free`.
// - Functions return `int`: 0 on success, -1 on failure. On failure the message of the C++
//   exception (c10::Error, std::exception, or "unknown C++ exception") is stored thread-locally
//   and read with `tt_last_error`. No C++ exception ever escapes.
// - Results come back through the last argument (`tt_tensor *out`). On failure `*out` is untouched.
// - Shapes and dimension lists are `const int64_t *` plus a count.
#ifndef CTORCH_H
#define CTORCH_H

#include <stdint.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tt_tensor_s *tt_tensor;
typedef struct tt_generator_s *tt_generator;

/// Element types (our own codes; mapped to at::ScalarType inside the shim).
enum {
    TT_FLOAT32 = 0, TT_FLOAT64 = 1, TT_INT64 = 2, TT_BOOL = 3, TT_INT32 = 4,
    TT_UINT8 = 5, TT_INT8 = 6, TT_INT16 = 7, TT_FLOAT16 = 8, TT_BFLOAT16 = 9,
};
/// Device types; a device is (type, index).
enum { TT_CPU = 0, TT_CUDA = 1 };

// MARK: errors and runtime
const char *tt_last_error(void);
const char *tt_version(void);
/// libtorch's build configuration (`at::show_config()`: BLAS, LAPACK, CPU capability, versions), valid until the
/// next call on this thread.
const char *tt_build_config(void);
int tt_cuda_device_count(void);
/// Waits for every kernel queued on the device (CUDA); nothing to wait for on the CPU.
int tt_device_synchronize(int dev, int dev_index);
void tt_manual_seed(uint64_t seed);
void tt_set_num_threads(int n);
int tt_get_num_threads(void);
/// Enables or disables gradient recording on this thread; returns the previous setting.
int tt_set_grad_enabled(int enabled);
int tt_is_grad_enabled(void);

// MARK: lifetime and metadata
void tt_free(tt_tensor t);
/// A new handle to the same tensor (shares storage and autograd identity).
int tt_shallow_copy(tt_tensor t, tt_tensor *out);
int64_t tt_dim(tt_tensor t);
/// Writes up to `cap` sizes; returns the number of dimensions.
int64_t tt_sizes(tt_tensor t, int64_t *sizes, int64_t cap);
int64_t tt_numel(tt_tensor t);
int tt_dtype(tt_tensor t);
int tt_device_type(tt_tensor t);
int tt_device_index(tt_tensor t);
int tt_requires_grad(tt_tensor t);
int tt_set_requires_grad(tt_tensor t, int flag);
/// Writes the printed form into buf (truncated to cap-1 bytes); returns the full length.
int64_t tt_describe(tt_tensor t, char *buf, int64_t cap);

// MARK: creation
int tt_zeros(const int64_t *shape, int64_t ndim, int dtype, int dev, int dev_index, tt_tensor *out);
int tt_ones(const int64_t *shape, int64_t ndim, int dtype, int dev, int dev_index, tt_tensor *out);
int tt_full(const int64_t *shape, int64_t ndim, double value, int dtype, int dev, int dev_index, tt_tensor *out);
int tt_arange(double start, double end, double step, int dtype, int dev, int dev_index, tt_tensor *out);
int tt_linspace(double start, double end, int64_t steps, int dtype, int dev, int dev_index, tt_tensor *out);
int tt_eye(int64_t n, int dtype, int dev, int dev_index, tt_tensor *out);
/// Copies `nbytes` bytes laid out in C order as a tensor of `dtype` and `shape` on the CPU.
int tt_from_bytes(const void *data, int64_t nbytes, const int64_t *shape, int64_t ndim, int dtype, tt_tensor *out);
/// Copies the tensor's elements, in C order, as CPU bytes of its dtype into `data` (exactly nbytes).
int tt_to_bytes(tt_tensor t, void *data, int64_t nbytes);
int tt_item_double(tt_tensor t, double *out);

// MARK: random numbers (a generator is a CPU generator; values are moved to the device)
int tt_generator_new(uint64_t seed, tt_generator *out);
void tt_generator_free(tt_generator g);
int tt_randn(const int64_t *shape, int64_t ndim, int dtype, int dev, int dev_index, tt_generator g, tt_tensor *out);
int tt_rand(const int64_t *shape, int64_t ndim, int dtype, int dev, int dev_index, tt_generator g, tt_tensor *out);
int tt_randint(int64_t low, int64_t high, const int64_t *shape, int64_t ndim, int dev, int dev_index, tt_generator g, tt_tensor *out);
int tt_randperm(int64_t n, int dev, int dev_index, tt_generator g, tt_tensor *out);
/// In place: fills with U(low, high) / N(mean, std) using `g` (NULL: the global generator).
int tt_uniform_(tt_tensor t, double low, double high, tt_generator g);
int tt_normal_(tt_tensor t, double mean, double std, tt_generator g);

// MARK: conversion
int tt_to_device(tt_tensor t, int dev, int dev_index, tt_tensor *out);
int tt_to_dtype(tt_tensor t, int dtype, tt_tensor *out);
int tt_contiguous(tt_tensor t, tt_tensor *out);
int tt_clone(tt_tensor t, tt_tensor *out);
int tt_detach(tt_tensor t, tt_tensor *out);

// MARK: elementwise
enum {
    TT_ADD = 0, TT_SUB, TT_MUL, TT_DIV, TT_POW, TT_MAXIMUM, TT_MINIMUM, TT_EQ, TT_NE, TT_LT, TT_LE,
    TT_GT, TT_GE, TT_LOGICAL_AND, TT_LOGICAL_OR, TT_REMAINDER, TT_ATAN2,
};
int tt_binary(int op, tt_tensor a, tt_tensor b, tt_tensor *out);
int tt_binary_scalar(int op, tt_tensor a, double s, tt_tensor *out);
/// s op a, for the non-commutative ops (s - a, s / a, s ^ a).
int tt_scalar_binary(int op, double s, tt_tensor a, tt_tensor *out);
enum {
    TT_NEG = 0, TT_EXP, TT_LOG, TT_SQRT, TT_RSQRT, TT_ABS, TT_RELU, TT_GELU, TT_TANH, TT_SIGMOID,
    TT_SIN, TT_COS, TT_SQUARE, TT_SIGN, TT_FLOOR, TT_CEIL, TT_ROUND, TT_LOGICAL_NOT, TT_ISNAN,
    TT_ISFINITE, TT_RECIPROCAL, TT_LOG1P, TT_EXPM1, TT_SILU, TT_GELU_TANH,
};
int tt_unary(int op, tt_tensor a, tt_tensor *out);
int tt_clamp(tt_tensor a, double lo, double hi, int has_lo, int has_hi, tt_tensor *out);
int tt_where(tt_tensor cond, tt_tensor a, tt_tensor b, tt_tensor *out);
int tt_masked_fill(tt_tensor a, tt_tensor mask, double value, tt_tensor *out);
int tt_leaky_relu(tt_tensor a, double slope, tt_tensor *out);

// MARK: reductions (ndims == 0 reduces over all dimensions)
enum {
    TT_SUM = 0, TT_MEAN, TT_AMAX, TT_AMIN, TT_ARGMAX, TT_ARGMIN, TT_VAR, TT_STD, TT_LOGSUMEXP,
    TT_PROD, TT_NORM, TT_ANY, TT_ALL,
};
/// `correction` applies to var/std (1 = unbiased, 0 = biased); ARGMAX/ARGMIN take one dim or none.
int tt_reduce(int op, tt_tensor a, const int64_t *dims, int64_t ndims, int keepdim, int64_t correction, tt_tensor *out);
int tt_cumsum(tt_tensor a, int64_t dim, tt_tensor *out);
/// topk along `dim`: values and int64 indices.
int tt_topk(tt_tensor a, int64_t k, int64_t dim, int largest, tt_tensor *values, tt_tensor *indices);
int tt_sort(tt_tensor a, int64_t dim, int descending, tt_tensor *values, tt_tensor *indices);

// MARK: linear algebra and networks
int tt_matmul(tt_tensor a, tt_tensor b, tt_tensor *out);
/// x·wᵀ + b; `b` may be NULL.
int tt_linear(tt_tensor x, tt_tensor w, tt_tensor b, tt_tensor *out);
/// conv over `nspatial` (1 or 2) spatial dims; `b` may be NULL. stride/padding/dilation have nspatial entries.
int tt_conv(tt_tensor x, tt_tensor w, tt_tensor b, int64_t nspatial, const int64_t *stride,
            const int64_t *padding, const int64_t *dilation, int64_t groups, tt_tensor *out);
int tt_max_pool(tt_tensor x, int64_t nspatial, const int64_t *kernel, const int64_t *stride,
                const int64_t *padding, const int64_t *dilation, int ceil_mode, tt_tensor *out);
int tt_avg_pool(tt_tensor x, int64_t nspatial, const int64_t *kernel, const int64_t *stride,
                const int64_t *padding, int ceil_mode, int count_include_pad, tt_tensor *out);
int tt_adaptive_avg_pool(tt_tensor x, int64_t nspatial, const int64_t *output_size, tt_tensor *out);
int tt_adaptive_max_pool(tt_tensor x, int64_t nspatial, const int64_t *output_size, tt_tensor *out);
/// Functional batch norm over dim 1. weight/bias/running stats may be NULL. In training mode the
/// running stats (when given) are updated in place with `momentum`, as torch.nn.functional.batch_norm.
int tt_batch_norm(tt_tensor x, tt_tensor weight, tt_tensor bias, tt_tensor running_mean,
                  tt_tensor running_var, int training, double momentum, double eps, tt_tensor *out);
/// Layer norm over the last `ndim` dims given by `normalized_shape`; weight/bias may be NULL.
int tt_layer_norm(tt_tensor x, const int64_t *normalized_shape, int64_t ndim, tt_tensor weight,
                  tt_tensor bias, double eps, tt_tensor *out);
int tt_softmax(tt_tensor x, int64_t dim, tt_tensor *out);
int tt_log_softmax(tt_tensor x, int64_t dim, tt_tensor *out);
/// Dropout with the global generator (seeded by tt_manual_seed).
int tt_dropout(tt_tensor x, double p, int training, tt_tensor *out);
int tt_embedding(tt_tensor weight, tt_tensor indices, int64_t padding_idx, tt_tensor *out);
int tt_one_hot(tt_tensor indices, int64_t num_classes, tt_tensor *out);

/// Multi-layer recurrent network over x: [N, T, in] (batch first). mode 0 = tanh RNN, 1 = LSTM.
/// params holds, per layer, w_ih, w_hh[, b_ih, b_hh] (PyTorch's order and shapes). h0 (and c0 for the LSTM):
/// [layers, N, hidden]. Outputs: out [N, T, hidden] (last layer, every step), hn (and cn) [layers, N, hidden].
int tt_rnn(int mode, tt_tensor x, tt_tensor h0, tt_tensor c0, const tt_tensor *params, int64_t nparams,
           int has_biases, int64_t num_layers, double dropout, int training, tt_tensor *out, tt_tensor *hn, tt_tensor *cn);

// MARK: losses (reduction: 0 none, 1 mean, 2 sum)
int tt_cross_entropy(tt_tensor logits, tt_tensor target, int64_t ignore_index, int reduction,
                     double label_smoothing, tt_tensor *out);
int tt_nll_loss(tt_tensor log_probs, tt_tensor target, int64_t ignore_index, int reduction, tt_tensor *out);
int tt_mse_loss(tt_tensor a, tt_tensor b, int reduction, tt_tensor *out);
/// KL(target ‖ input) with `input` as log-probabilities; reduction 3 = batchmean.
int tt_kl_div(tt_tensor input, tt_tensor target, int reduction, int log_target, tt_tensor *out);

// MARK: shape
int tt_reshape(tt_tensor a, const int64_t *shape, int64_t ndim, tt_tensor *out);
int tt_view(tt_tensor a, const int64_t *shape, int64_t ndim, tt_tensor *out);
int tt_permute(tt_tensor a, const int64_t *dims, int64_t ndim, tt_tensor *out);
int tt_transpose(tt_tensor a, int64_t d0, int64_t d1, tt_tensor *out);
int tt_expand(tt_tensor a, const int64_t *shape, int64_t ndim, tt_tensor *out);
int tt_squeeze(tt_tensor a, int64_t dim, int all, tt_tensor *out);
int tt_unsqueeze(tt_tensor a, int64_t dim, tt_tensor *out);
int tt_flatten(tt_tensor a, int64_t start, int64_t end, tt_tensor *out);
int tt_cat(const tt_tensor *ts, int64_t n, int64_t dim, tt_tensor *out);
int tt_stack(const tt_tensor *ts, int64_t n, int64_t dim, tt_tensor *out);
int tt_slice(tt_tensor a, int64_t dim, int64_t start, int64_t end, int64_t step, tt_tensor *out);
int tt_select(tt_tensor a, int64_t dim, int64_t index, tt_tensor *out);
int tt_index_select(tt_tensor a, int64_t dim, tt_tensor index, tt_tensor *out);
int tt_gather(tt_tensor a, int64_t dim, tt_tensor index, tt_tensor *out);
int tt_tril(tt_tensor a, int64_t diagonal, tt_tensor *out);
int tt_triu(tt_tensor a, int64_t diagonal, tt_tensor *out);
int tt_roll(tt_tensor a, int64_t shift, int64_t dim, tt_tensor *out);
int tt_repeat(tt_tensor a, const int64_t *repeats, int64_t ndim, tt_tensor *out);

// MARK: autograd
/// Backpropagates from `t`; `grad` may be NULL for a scalar.
int tt_backward(tt_tensor t, tt_tensor grad, int retain_graph);
/// `*out` is NULL when the tensor has no gradient.
int tt_grad(tt_tensor t, tt_tensor *out);
/// Drops the stored gradient (set_to_none semantics).
int tt_zero_grad(tt_tensor t);
/// Gradients of `outputs[0]` w.r.t. each of `inputs` (create_graph for higher order); out has n_inputs slots.
int tt_autograd_grad(tt_tensor output, const tt_tensor *inputs, int64_t n_inputs, int create_graph, tt_tensor *grads);

// MARK: in place (for optimizers; call under no-grad)
int tt_add_(tt_tensor a, tt_tensor b, double alpha);
int tt_mul_scalar_(tt_tensor a, double s);
int tt_add_scalar_(tt_tensor a, double s);
int tt_addcmul_(tt_tensor a, tt_tensor b, tt_tensor c, double value);
int tt_addcdiv_(tt_tensor a, tt_tensor b, tt_tensor c, double value);
int tt_lerp_(tt_tensor a, tt_tensor end, double weight);
int tt_copy_(tt_tensor dst, tt_tensor src);
int tt_fill_(tt_tensor a, double value);
int tt_zero_(tt_tensor a);
/// One fused Adam/AdamW update of `param` (in place, no-grad) given its gradient and state.
/// step counts from 1. weight_decay is decoupled (AdamW) when decoupled != 0, else L2 (Adam).
int tt_adam_step(tt_tensor param, tt_tensor grad, tt_tensor exp_avg, tt_tensor exp_avg_sq, int64_t step,
                 double lr, double beta1, double beta2, double eps, double weight_decay, int decoupled);
/// Total L2 norm of the given gradients, and scales them in place by max_norm/(norm+1e-6) when it exceeds max_norm.
int tt_clip_grad_norm(const tt_tensor *grads, int64_t n, double max_norm, double *total_norm);

// MARK: fused similarity
/// Linear CKA (biased HSIC) of x [n, p] against y [n, q], a / sqrt(b·c + eps), as one autograd node with the
/// closed-form gradient in x; y must not require grad (it gets none). gram != 0 uses the n×n Gram form, else the
/// feature form (XcᵀYc etc.). Result: a 0-dim tensor of x's dtype.
int tt_linear_cka(tt_tensor x, tt_tensor y, int gram, double eps, tt_tensor *out);

// MARK: guide cache (issue 13)
/// Σ_t linear CKA(xs[t] [n_t, p_t], lcs[t] [n_t, n_t]) over count ≥ 1 terms: each x against a constant, already
/// centred guide Gram matrix (HYYᵀH, from Guidance.GuideCache), all terms as one autograd node with the closed-form
/// gradient in each x; no lc may require grad. orders (NULL, or count entries each int64 [n_t] or NULL): lcs[t]'s rows
/// are xs[t]'s rows in this order (positions of x, a permutation), as `tt_gram_block_centered` gives them; each
/// gradient comes back in its x's own order.
int tt_linear_cka_centered_gram(const tt_tensor *xs, const tt_tensor *lcs, const tt_tensor *orders, int64_t count,
                                double eps, tt_tensor *out);
/// The centred block H·G[rows][:, rows]·H of a square Gram matrix gram [N, N] for rows (int64 [n]): [n, n]. On the CPU
/// its rows and columns come in ascending order of rows, and *order receives the positions of rows in that order
/// (int64 [n]); elsewhere they come in the order of rows and *order is NULL.
int tt_gram_block_centered(tt_tensor gram, tt_tensor rows, tt_tensor *out, tt_tensor *order);

#ifdef __cplusplus
}
#endif
#endif
