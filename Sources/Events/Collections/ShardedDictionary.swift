/// A dictionary split into shards by the keys' hashes, so that growing it rehashes one shard at a time.
///
/// A dictionary that outgrows its storage moves every element into storage twice the size, in one go. The
/// decider's open applications lived in one, on the serial writer: with 30,000 of them each doubling took the
/// writer 20–35 ms of work (most of it faulting in the new storage), and every command waiting for the writer
/// sat it out; the index tail's postings, 16,000 names, 8 ms. Split in 64, a growth moves a 64th of them.
/// Lookups hash the key twice (once for the shard).
///
/// Elements come out shard by shard, in no promised order, like a dictionary's.
public struct ShardedDictionary<Key: Hashable, Value>: Sequence {
    /// How many shards there are: a power of two, so that a shard is picked by the hash's top bits.
    static var shardCount: Int { 64 }
    private static var shardBits: Int { shardCount.trailingZeroBitCount }

    private var shards: [[Key: Value]]

    /// An empty dictionary.
    public init() {
        shards = Array(repeating: [:], count: Self.shardCount)
    }

    /// The dictionary holding `pairs`; a key given twice keeps its last value.
    public init(_ pairs: some Sequence<(Key, Value)>) {
        self.init()
        for (key, value) in pairs { self[key] = value }
    }

    /// The value at `key`, nil when there is none; setting nil removes it.
    public subscript(key: Key) -> Value? {
        get { shards[Self.shard(of: key)][key] }
        _modify { yield &shards[Self.shard(of: key)][key] }
    }

    /// The value at `key`, or `defaultValue` when there is none; changing it through here stores it.
    public subscript(key: Key, default defaultValue: @autoclosure () -> Value) -> Value {
        get { shards[Self.shard(of: key)][key, default: defaultValue()] }
        _modify { yield &shards[Self.shard(of: key)][key, default: defaultValue()] }
    }

    /// Removes the value at `key` and returns it, nil when there was none.
    @discardableResult
    public mutating func removeValue(forKey key: Key) -> Value? {
        shards[Self.shard(of: key)].removeValue(forKey: key)
    }

    /// How many keys it holds.
    public var count: Int { shards.reduce(0) { $0 + $1.count } }

    /// Whether it holds no key.
    public var isEmpty: Bool { shards.allSatisfy(\.isEmpty) }

    /// Every key.
    public var keys: some Sequence<Key> { shards.lazy.flatMap(\.keys) }

    /// Every value.
    public var values: some Sequence<Value> { shards.lazy.flatMap(\.values) }

    /// The elements `isIncluded` keeps, as a sharded dictionary.
    public func filter(_ isIncluded: ((key: Key, value: Value)) throws -> Bool) rethrows -> ShardedDictionary {
        var kept = self
        kept.shards = try shards.map { try $0.filter(isIncluded) }
        return kept
    }

    /// Walks the elements shard by shard.
    public func makeIterator() -> FlattenSequence<[[Key: Value]]>.Iterator {
        shards.joined().makeIterator()
    }

    /// How many keys each shard holds (for tests of the spread).
    var shardCounts: [Int] { shards.map(\.count) }

    private static func shard(of key: Key) -> Int {
        // The top bits: each shard's own dictionary places keys by the low bits of its (differently seeded) hash.
        Int(truncatingIfNeeded: UInt(bitPattern: key.hashValue) >> UInt(UInt.bitWidth - shardBits))
    }
}

extension ShardedDictionary: Equatable where Value: Equatable {}
extension ShardedDictionary: Sendable where Key: Sendable, Value: Sendable {}
