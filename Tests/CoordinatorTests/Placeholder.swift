import XCTest

final class CoordinatorPlaceholderTests: XCTestCase {}
