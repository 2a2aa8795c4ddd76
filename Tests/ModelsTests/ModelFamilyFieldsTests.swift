import Config
import Models
import ModelSchema
import NN
import Torch
import XCTest

/// `ModelFamily.fields` documents each family for `guidance archs`: it must list exactly the fields the builder
/// accepts, with the defaults the builder uses.
final class ModelFamilyFieldsTests: XCTestCase {
    /// The builder's list of known fields, as its unknown-field error reports it.
    private func acceptedFields(_ family: ModelFamily) throws -> [String] {
        do {
            try ModelBuilder.validate(family: family.rawValue, options: ["no_such_field": 1], input: TestModels.image,
                                      output: .classes(5))
        } catch let error as OptionError {
            XCTAssertEqual(error.field, "no_such_field")
            let list = try XCTUnwrap(error.reason.components(separatedBy: "known fields: ").last)
            return list.components(separatedBy: ", ").sorted()
        }
        XCTFail("\(family.rawValue) accepted an unknown field")
        return []
    }

    func testFieldsListExactlyWhatTheBuilderAccepts() throws {
        for family in ModelFamily.allCases {
            XCTAssertEqual(family.fields.map(\.name).sorted(), try acceptedFields(family), family.rawValue)
            XCTAssertFalse(family.summary.isEmpty)
        }
    }

    func testDocumentedDefaultsAreTheBuilderDefaults() throws {
        for family in ModelFamily.allCases {
            var explicit: [String: ConfigValue] = [:]
            for field in family.fields { explicit[field.name] = field.value }
            for input in [TestModels.image, TestModels.tokens] {
                let implicit = try ModelBuilder.build(family: family.rawValue, options: [:], input: input, output: .classes(5),
                                                      init: ParameterInit(seed: 0))
                let stated = try ModelBuilder.build(family: family.rawValue, options: explicit, input: input, output: .classes(5),
                                                    init: ParameterInit(seed: 0))
                XCTAssertEqual(implicit.namedParameters().map { "\($0.0) \($0.1.shape)" },
                               stated.namedParameters().map { "\($0.0) \($0.1.shape)" }, "\(family.rawValue) \(input)")
            }
        }
    }
}
