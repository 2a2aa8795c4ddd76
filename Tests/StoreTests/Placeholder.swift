import XCTest

final class StorePlaceholderTests: XCTestCase {}
