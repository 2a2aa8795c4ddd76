import Tasks
import XCTest

final class TaskOptionsTests: XCTestCase {
    func testDefaultsApplyWhenFieldsAreOmitted() throws {
        let task = try XCTUnwrap(try TaskRegistry.make("parity") as? ParityTask)
        XCTAssertEqual(task.minLength, 2)
        XCTAssertEqual(task.maxLength, 50)
        let copy = try XCTUnwrap(try TaskRegistry.make("copy-paste", options: ["max_length": .int(30)]) as? CopyPasteTask)
        XCTAssertEqual(copy.minLength, 20)
        XCTAssertEqual(copy.maxLength, 30)
    }

    func testCrossFieldErrorNamesTaskAndField() {
        let error = assertThrows(TaskError.self) { try TaskRegistry.make("parity", options: ["min_length": .int(5), "max_length": .int(2)]) }
        XCTAssertEqual(error?.description, "task parity: field max_length must be ≥ min_length, got 2 < 5")
    }

    func testWrongTypeUnknownFieldMissingFieldAndUnknownTask() {
        let wrongType = assertThrows(TaskError.self) { try TaskRegistry.make("copy-paste", options: ["symbols": .string("nine")]) }
        XCTAssertEqual(wrongType?.kind, .wrongType("symbols", expected: "an integer", found: "string \"nine\""))
        let unknown = assertThrows(TaskError.self) { try TaskRegistry.make("mnist1d", options: ["lenght": .int(3)]) }
        XCTAssertTrue(unknown?.description.contains("unknown field lenght") ?? false)
        XCTAssertTrue(unknown?.description.contains("final_length") ?? false, "lists the known fields")
        let missing = assertThrows(TaskError.self) { try TaskRegistry.make("char-lm") }
        XCTAssertEqual(missing?.description, "task char-lm: field path is required (see `guidance tasks char-lm`)")
        let task = assertThrows(TaskError.self) { try TaskRegistry.make("sorting") }
        XCTAssertTrue(task?.description.contains("copy-paste") ?? false)
        let range = assertThrows(TaskError.self) { try TaskRegistry.make("modular-addition", options: ["train_fraction": .double(1.5)]) }
        XCTAssertEqual(range?.description, "task modular-addition: field train_fraction must be in [0.0, 1.0], got 1.5")
        let choice = assertThrows(TaskError.self) { try TaskRegistry.make("cifar100", options: ["path": .string("/x"), "labels": .string("medium")]) }
        XCTAssertEqual(choice?.description, "task cifar100: field labels must be one of fine, coarse, got medium")
        let given = assertThrows(TaskError.self) { try TaskRegistry.make("idx", options: ["path": .string("/x"), "normalize": .string("given")]) }
        XCTAssertEqual(given?.description, "task idx: field mean is required when normalize is given")
    }

    func testIntegralDoublesAreAcceptedAsIntegers() throws {
        let task = try XCTUnwrap(try TaskRegistry.make("modular-addition", options: ["modulus": .double(11)]) as? ModularAdditionTask)
        XCTAssertEqual(task.modulus, 11)
    }

    func testRegistryDescribesEveryFieldOfEveryTask() throws {
        XCTAssertEqual(Set(TaskRegistry.names).count, TaskRegistry.names.count)
        for descriptor in TaskRegistry.all {
            let text = try TaskRegistry.describe(descriptor.name)
            for field in descriptor.fields { XCTAssertTrue(text.contains("  \(field.name) ("), "\(descriptor.name) lacks \(field.name)") }
            XCTAssertTrue(TaskRegistry.overview().contains(descriptor.name))
        }
    }

    func testGeneratedTasksShapesMatchTheirData() throws {
        for name in ["copy-paste", "parity", "modular-addition"] {
            let task = try TaskRegistry.make(name, options: name == "modular-addition" ? ["modulus": .int(13)] : ["train_size": .int(50)])
            let data = try task.makeDataset()
            XCTAssertEqual(try task.shape(), data.shape, name)
            for split in [data.train, data.validation, data.test] where !split.isEmpty {
                XCTAssertEqual(split.exampleShape, data.inputKind.exampleShape, name)
            }
            XCTAssertEqual(try task.metrics().first, .loss)
        }
    }
}
