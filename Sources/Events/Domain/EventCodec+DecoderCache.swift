extension EventCodec {
    /// The decoders of the event types one read met, by each type's place among them
    /// (`EventRecordView.typeIndex`): a replay finds a type's decoder by its name once per read, not once per
    /// entry (two hashes of the name an entry, with the upcasters' check, were 1.5 % of a rebuild).
    ///
    /// Meant for the views of one read, whose places agree; a view whose place holds another name (another
    /// read's), or that has none, is looked up by name.
    public struct DecoderCache {
        private var found: [(type: String, decoder: Decoder)?] = []

        public init() {}

        /// The domain event in `view`'s payload.
        public mutating func decode(_ view: EventRecordView) throws -> DomainEvent {
            try decoder(of: view)(PayloadBytes(bytes: view.payload))
        }

        private mutating func decoder(of view: EventRecordView) throws -> Decoder {
            guard let index = view.typeIndex else { return try EventCodec.decoder(of: view.type) }
            if index < found.count, let known = found[index], known.type == view.type { return known.decoder }
            let decoder = try EventCodec.decoder(of: view.type)
            if index >= found.count { found += repeatElement(nil, count: index + 1 - found.count) }
            found[index] = (view.type, decoder)
            return decoder
        }
    }
}
