import XCTest

final class WirePlaceholderTests: XCTestCase {}
