/// Every read model the hall serves, in the order they are built.
public enum ReadModels {
    public static var all: [any Projection] {
        [
            PortalFiguresProjection(), QueuesProjection(), RegistersProjection(), CatalogProjection(),
            StepDurationsProjection(), AttachmentReferencesProjection(),
        ]
    }
}
