import Foundation
import Torch
import XCTest

/// One differentiable input of a gradient check: its values in C order and its shape.
struct GradInput {
    let values: [Double]
    let shape: [Int]

    init(_ values: [Double], _ shape: [Int]) {
        precondition(values.count == shape.reduce(1, *), "GradInput: \(values.count) values for shape \(shape)")
        self.values = values
        self.shape = shape
    }
}

/// Checks autograd against central finite differences in float64.
///
/// The function under test may return a tensor of any shape; it is reduced to the scalar
/// `L = Σ_k w_k · f(x)_k` with fixed, unequal weights `w_k`, so every output element's dependence on every input
/// element is checked (a plain sum would hide gradients that cancel). For each input element `x_j`:
///
///     numeric_j = Σ_k w_k · (f(x + h·e_j)_k − f(x − h·e_j)_k) / (2h)
///
/// Differencing element-wise before weighting keeps round-off at about `ε·|f_k|/h` per element instead of
/// `ε·|L|/h`. The analytic gradient comes from `L.backward()` and each leaf's `.grad`.
/// A pair matches when `|analytic − numeric| ≤ relativeTolerance · max(|analytic|, |numeric|) + absoluteTolerance`.
struct GradientCheck {
    var h = 1e-6
    var relativeTolerance = 1e-6
    var absoluteTolerance = 1e-8

    /// Descriptions of the mismatching elements (empty when autograd agrees with the finite differences).
    func mismatches(_ inputs: [GradInput], _ f: ([Tensor]) throws -> Tensor) throws -> [String] {
        let leaves = try inputs.map { try Tensor($0.values, shape: $0.shape).requiresGrad(true) }
        let output = try f(leaves)
        guard output.dtype == .float64 else { throw TorchError("GradientCheck", "output is \(output.dtype), need float64") }
        let weights = Self.weights(output.count)
        let objective = try (output * Tensor(weights, shape: output.shape)).sum()
        try objective.backward()
        let analytic = try zip(leaves, inputs).map { leaf, input in
            try leaf.grad?.doubles() ?? [Double](repeating: 0, count: input.values.count)
        }

        func evaluate(_ values: [[Double]]) throws -> [Double] {
            try Torch.withNoGrad {
                let tensors = try zip(values, inputs).map { try Tensor($0, shape: $1.shape) }
                return try f(tensors).doubles()
            }
        }

        var found: [String] = []
        for (i, input) in inputs.enumerated() {
            for j in input.values.indices {
                var values = inputs.map(\.values)
                values[i][j] = input.values[j] + h
                let plus = try evaluate(values)
                values[i][j] = input.values[j] - h
                let minus = try evaluate(values)
                var numeric = 0.0
                for k in weights.indices { numeric += weights[k] * (plus[k] - minus[k]) }
                numeric /= 2 * h
                let a = analytic[i][j]
                let tolerance = relativeTolerance * Swift.max(Swift.abs(a), Swift.abs(numeric)) + absoluteTolerance
                if !(Swift.abs(a - numeric) <= tolerance) {
                    found.append("input \(i) element \(j): autograd \(a), finite difference \(numeric)")
                }
            }
        }
        return found
    }

    /// Fixed weights in [0.5, 1.5], different for neighbouring elements.
    static func weights(_ count: Int) -> [Double] {
        (0..<count).map { 1 + 0.5 * Foundation.sin(1.7 * Double($0) + 0.3) }
    }
}

/// Fails the test when autograd's gradients of `f` at `inputs` disagree with central finite differences.
func assertGradientsMatch(_ inputs: [GradInput], check: GradientCheck = GradientCheck(),
                          file: StaticString = #filePath, line: UInt = #line, _ f: ([Tensor]) throws -> Tensor) {
    do {
        let found = try check.mismatches(inputs, f)
        if !found.isEmpty {
            XCTFail("\(found.count) gradient mismatches, first: \(found.prefix(3).joined(separator: "; "))", file: file, line: line)
        }
    } catch {
        XCTFail("gradient check threw \(error)", file: file, line: line)
    }
}
