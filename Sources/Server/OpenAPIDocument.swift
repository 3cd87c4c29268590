import Foundation
import Hummingbird
import NIOCore

/// The OpenAPI 3.1 description of the whole API (`Resources/openapi.json`), served at `/openapi.json`. A test
/// holds it to the routes the server registers, both ways.
public enum OpenAPIDocument {
    /// The document's bytes.
    public static let data: Data = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
            let data = try? Data(contentsOf: url)
        else { return Data("{}".utf8) }
        return data
    }()

    static func response() -> Response {
        HallJSON.response(body: ByteBuffer(bytes: data))
    }
}
