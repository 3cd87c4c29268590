import ArgumentParser
import Events
import Foundation

/// Where the store lives: the options every command that opens it shares.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The store's directory (LMDB environment).")
    var data: String = "./data"

    func openLog() throws -> EventLog {
        try EventLog(directory: data)
    }
}

/// Prints `object` as sorted, indented JSON.
func printJSON(_ object: Any) throws {
    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
    print(String(decoding: data, as: UTF8.self))
}
