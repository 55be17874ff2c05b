package org.bacnetsc.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.bacnetsc.codec.BvlcMessage;
import org.bacnetsc.codec.DecodeFailure;
import org.bacnetsc.codec.DecodeResult;
import org.bacnetsc.codec.ErrorClass;
import org.bacnetsc.codec.ErrorCode;
import org.bacnetsc.codec.HeaderOption;
import org.bacnetsc.codec.Hex;
import org.bacnetsc.codec.Payload;
import org.bacnetsc.codec.Vmac;

/** The JSON form of a decoded frame printed by {@code bsc decode}. */
final class FrameJson {

    private final ObjectMapper mapper;

    FrameJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    ObjectNode toJson(DecodeResult result) {
        return result instanceof BvlcMessage m ? message(m) : failure((DecodeFailure) result);
    }

    private ObjectNode message(BvlcMessage m) {
        ObjectNode o = mapper.createObjectNode();
        o.put("function", m.function().name());
        o.put("functionCode", m.function().code());
        o.put("messageId", m.messageId());
        o.put("originatingVmac", vmac(m.originating()));
        o.put("destinationVmac", vmac(m.destination()));
        o.set("destinationOptions", options(m.destinationOptions()));
        o.set("dataOptions", options(m.dataOptions()));
        payload(o, m.payload());
        return o;
    }

    private static String vmac(Vmac v) {
        return v == null ? null : v.toString();
    }

    private ArrayNode options(List<HeaderOption> options) {
        ArrayNode a = mapper.createArrayNode();
        for (HeaderOption opt : options) {
            ObjectNode o = a.addObject();
            o.put("type", opt.type());
            o.put("mustUnderstand", opt.mustUnderstand());
            if (opt instanceof HeaderOption.Proprietary p) {
                o.put("data", Hex.format(p.vendorData()));
                o.put("vendorId", p.vendorId());
                o.put("proprietaryType", p.proprietaryType());
            } else {
                o.put("data", Hex.format(opt.data()));
            }
        }
        return a;
    }

    private void payload(ObjectNode o, Payload p) {
        if (p instanceof Payload.BvlcResult r) {
            o.put("resultFor", r.resultFor());
            o.put("resultCode", r.resultCode().name());
            if (r.isNak()) {
                o.put("errorHeaderMarker", r.errorHeaderMarker());
                o.put("errorClass", r.errorClass());
                o.put("errorClassName", ErrorClass.find(r.errorClass()).map(Enum::name).orElse(null));
                o.put("errorCode", r.errorCode());
                o.put("errorCodeName", ErrorCode.find(r.errorCode()).map(Enum::name).orElse(null));
                o.put("errorDetails", r.errorDetails());
            }
        } else if (p instanceof Payload.EncapsulatedNpdu e) {
            o.put("npdu", Hex.format(e.npdu()));
        } else if (p instanceof Payload.AddressResolutionAck a) {
            ArrayNode uris = o.putArray("uris");
            a.uris().forEach(uris::add);
        } else if (p instanceof Payload.Advertisement a) {
            o.put("hubConnectionStatus", a.hubConnectionStatus());
            o.put("acceptDirectConnections", a.acceptDirectConnections());
            o.put("maxBvlcLength", a.maxBvlcLength());
            o.put("maxNpduLength", a.maxNpduLength());
        } else if (p instanceof Payload.ConnectRequest c) {
            connect(o, c.vmac(), c.deviceUuid().toString(), c.maxBvlcLength(), c.maxNpduLength());
        } else if (p instanceof Payload.ConnectAccept c) {
            connect(o, c.vmac(), c.deviceUuid().toString(), c.maxBvlcLength(), c.maxNpduLength());
        } else if (p instanceof Payload.ProprietaryMessage pm) {
            o.put("vendorId", pm.vendorId());
            o.put("proprietaryFunction", pm.proprietaryFunction());
            o.put("data", Hex.format(pm.data()));
        }
    }

    private static void connect(ObjectNode o, Vmac vmac, String uuid, int maxBvlc, int maxNpdu) {
        o.put("vmac", vmac.toString());
        o.put("deviceUuid", uuid);
        o.put("maxBvlcLength", maxBvlc);
        o.put("maxNpduLength", maxNpdu);
    }

    private ObjectNode failure(DecodeFailure f) {
        ObjectNode root = mapper.createObjectNode();
        ObjectNode e = root.putObject("error");
        e.put("code", f.errorCode().code());
        e.put("name", f.errorCode().name());
        e.put("silentDrop", f.silentDrop());
        e.put("nak", f.nakFrame().map(Hex::format).orElse(null));
        e.put("errorClass", f.errorClass().name());
        if (f.functionCode() >= 0) {
            e.put("functionCode", f.functionCode());
        } else {
            e.putNull("functionCode");
        }
        if (f.messageId() >= 0) {
            e.put("messageId", f.messageId());
        } else {
            e.putNull("messageId");
        }
        e.put("errorHeaderMarker", f.errorHeaderMarker());
        e.put("details", f.details());
        return root;
    }
}
